import type { SubmittedEvent } from '@lbc/domain';
import { Calendar } from './calendar';
import type { CountyOptions } from './county-options';
import { resolveCountyOptions } from './county-options';
import { planCounty } from './county-plan';
import { Ids } from './ids';
import { Random } from './random';
import type { County, Emitted } from './school-simulation';
import { SchoolSimulation } from './school-simulation';

/** One generated event: what the school's system submits, and when and by whom it was recorded. */
export interface GeneratedEvent {
  /** As INTERCHANGE.md has schools submit it; personal data in clear (made up). */
  readonly event: SubmittedEvent;
  /**
   * When the school's system sent it (ISO-8601 UTC): the school's next upload after it occurred,
   * or, for about 2% of care activities, one 2 to 13 weeks later.
   */
  readonly recordedAt: string;
  /** The school's uploading account, one per school. */
  readonly recordedBy: string;
}

/**
 * A synthetic county: townships, schools, carers and children over `months` months ending on
 * `end`, with every event type of INTERCHANGE.md. Deterministic in its options.
 *
 * Events come school by school (a child who moves to another school of the county continues in
 * that school's part); within a school's part, in the order they were recorded. Submitted in this
 * order, every event passes the ingest's decide with `MAX_CARER_LOAD` ≥ `maxCarerLoad`.
 */
export function* generateCounty(options: CountyOptions): Generator<GeneratedEvent> {
  const resolved = resolveCountyOptions(options);
  const random = new Random(resolved.seed);
  const ids = new Ids(resolved.seed);
  const county: County = {
    options: resolved,
    calendar: new Calendar(resolved.end, resolved.months),
    ids,
    schools: planCounty(resolved, ids, random),
    arrivals: new Map(),
    seq: 0,
  };
  for (const school of county.schools) {
    const emitted = new SchoolSimulation(county, school, random.fork(school.index)).run();
    county.arrivals.delete(school.index);
    emitted.sort(inRecordingOrder);
    for (const e of emitted) yield { event: e.event, recordedAt: new Date(e.recordedMs).toISOString(), recordedBy: e.recordedBy };
  }
}

function inRecordingOrder(a: Emitted, b: Emitted): number {
  return a.recordedMs - b.recordedMs || a.occurredMs - b.occurredMs || a.seq - b.seq;
}
