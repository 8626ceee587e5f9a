import { parseSubmittedEvent } from '@lbc/domain';
import { Problem } from '@lbc/http';
import type { Submission } from './record-events.command';

export interface EventBatchBody {
  /** A single JSON object (not an array or NDJSON): answered with its own result or problem. */
  readonly single: boolean;
  readonly submissions: Submission[];
}

const NDJSON = /^application\/(x-)?ndjson\b/i;

/**
 * Reads `POST /api/v1/events`' body: one JSON object, a JSON array, or NDJSON (one object a line,
 * blank lines ignored). A body that is not JSON is refused whole (400, nothing written); so is a
 * batch above `maxEvents` (413).
 */
export function readEventBatch(text: string, contentType: string | undefined, maxEvents: number): EventBatchBody {
  let raws: unknown[];
  let single = false;
  if (NDJSON.test(contentType ?? '')) {
    raws = [];
    text.split('\n').forEach((line, lineIndex) => {
      if (line.trim() === '') return;
      try {
        raws.push(JSON.parse(line));
      } catch {
        throw new Problem(400, 'malformed-json', `NDJSON line ${lineIndex + 1} is not valid JSON`, `[${raws.length}]`);
      }
    });
  } else {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Problem(400, 'malformed-json', 'The request body is not valid JSON (send one event, a JSON array, or NDJSON as application/x-ndjson)');
    }
    single = !Array.isArray(body);
    raws = Array.isArray(body) ? body : [body];
  }
  if (raws.length === 0) throw new Problem(400, 'empty-batch', 'The batch holds no event');
  if (raws.length > maxEvents) {
    throw new Problem(413, 'too-many-events', `A request carries at most ${maxEvents} events; this one has ${raws.length}`, undefined, { limit: maxEvents });
  }
  return {
    single,
    submissions: raws.map((raw) => {
      const eventId = typeof raw === 'object' && raw !== null && typeof (raw as { eventId?: unknown }).eventId === 'string' ? (raw as { eventId: string }).eventId : null;
      return { eventId, parsed: parseSubmittedEvent(raw) };
    }),
  };
}
