import type { GeneratedEvent } from './generate-county';

/** The submitted events as NDJSON lines (INTERCHANGE.md batches), each ending in a newline. */
export function* ndjsonLines(events: Iterable<GeneratedEvent>): Generator<string> {
  for (const { event } of events) yield `${JSON.stringify(event)}\n`;
}
