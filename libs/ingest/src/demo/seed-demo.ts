import type { CommandBus } from '@nestjs/cqrs';
import type { Accounts, User } from '@lbc/accounts';
import type { NamedSchool } from '@lbc/county-generator';
import { generateCounty, historyEndFrom, historyStart } from '@lbc/county-generator';
import type { SubmittedEvent } from '@lbc/domain';
import { countyDateOf, parseSubmittedEvent, streamIdOf } from '@lbc/domain';
import type { EventStore } from '@lbc/event-store';
import type { Session } from '@lbc/http';
import type { EventResult } from '../events/event-result';
import { RecordEventsCommand } from '../events/record-events.command';
import { uuidV5 } from '../util/uuid-v5';

const DEMO_IDS = '8d5c2f10-6a3b-5e47-b9d1-4c7e0a2f6b83';
export const DEMO_COUNTY = { id: 'wangcang', name: '旺苍县' } as const;

/**
 * The schools with demo accounts (`school.<code>.staff`): the first three are the whole demo with
 * `DEMO_CHILDREN=0`; `children` makes the village school and 白水 small cells.
 */
const DEMO_SCHOOLS = [
  { code: 'xinhua', name: '旺苍县新华小学', townshipId: 'dongcheng', townshipName: '东城镇', level: 'primary', boarding: false, pupils: 860 },
  { code: 'baishui', name: '白水镇中心小学', townshipId: 'baishui', townshipName: '白水镇', level: 'primary', boarding: true, pupils: 420, children: 4 },
  { code: 'mumen', name: '木门镇初级中学', townshipId: 'mumen', townshipName: '木门镇', level: 'junior-secondary', boarding: true, pupils: 610 },
  { code: 'shuangqiao', name: '双桥村小', townshipId: 'mumen', townshipName: '木门镇', level: 'primary', boarding: false, pupils: 9, children: 3 },
] as const;

const MONTHS = 15;
/**
 * The care work beyond what the indicators count, kept at a tenth: every event takes the whole
 * command path (about 0.2 ms of the one Node thread each, with relay, projector and tree builder
 * beside it), so the first start stays within a minute (about 77 events a child, 230,000 in all).
 */
const EXTRA_CARE = 0.1;
const SEED = 2025;
/**
 * Events a command: the events of one stream in a command are appended together, so a larger
 * command means fewer appends (a school's whole history in one or two). Measured on the demo
 * county, at a load average of 3–5: 72 s to record it in commands of 8,000, 59 s in 16,000.
 */
const BATCH = 16000;
const SCHOOLS_ONLY_AT = '2025-09-01T08:00:00+08:00';

export interface DemoSeedOptions {
  /** Children of the demo county (about 150 a school); 0: its schools and accounts only. */
  readonly children: number;
  /** Now (the command path's clock): the history ends on the county-local day before. */
  readonly now: Date;
  /** Called as events are recorded (`done` of `total`), for the progress line. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DemoSeed {
  readonly users: User[];
  /** Events recorded by this start (0 when the demo county was there already). */
  readonly recorded: number;
}

/**
 * The demo county of API.md's demo mode and its accounts: a generated county (libs/county-generator)
 * of `children` children in about 20 schools and 8 townships with 15 months of history up to
 * yesterday, recorded through the command bus as any writer's events are, in commands of
 * `BATCH` events. Its ids follow from its end, which a later start reads back from its first
 * event: the last command, decided dry, is then all duplicates and nothing more is done; after an
 * interrupted first start every command is sent again (what is stored is a duplicate).
 */
export async function seedDemo(commands: CommandBus, accounts: Accounts, store: EventStore, options: DemoSeedOptions): Promise<DemoSeed> {
  const schools = DEMO_SCHOOLS.slice(0, options.children === 0 ? 3 : undefined).map((school) => ({ ...school, schoolId: uuidV5(`school|${school.code}`, DEMO_IDS) }));
  const users = await accounts.seedDemoAccounts(DEMO_COUNTY.id, schools);
  const admin = users.find((user) => user.role === 'platform_admin');
  if (!admin) throw new Error('demo seed: the demo platform admin is missing');
  const actor: Session = { userId: admin.id, username: admin.username, role: 'platform_admin', countyId: DEMO_COUNTY.id };
  const record = async (events: readonly SubmittedEvent[], dryRun = false) =>
    commands.execute(new RecordEventsCommand(events.map((event) => ({ eventId: event.eventId, parsed: parseSubmittedEvent(event) })), actor, { atomic: false, correlationId: 'demo-seed', dryRun }));
  if (options.children === 0) {
    refuseRejections(await record(schoolsOnly(schools)));
    return { users, recorded: 0 };
  }

  const first = (await store.readStream(streamIdOf('school', schools[0].schoolId)))[0];
  const end = first ? historyEndFrom(countyDateOf(first.occurredAt), MONTHS) : demoEnd(options.now);
  if (end === null) throw new Error('demo seed: DATA_DIR holds another demo county; start on an empty DATA_DIR');
  const named: NamedSchool[] = schools.map(({ schoolId, name, townshipId, townshipName, level, boarding, ...rest }) => ({
    schoolId,
    name,
    townshipId,
    townshipName,
    level,
    boarding,
    ...('children' in rest ? { children: rest.children } : {}),
  }));
  const events = [
    ...generateCounty({
      seed: SEED,
      children: options.children,
      months: MONTHS,
      end,
      schools: Math.max(named.length, Math.round(options.children / 150)),
      townships: Math.max(3, Math.round(options.children / 375)),
      countyId: DEMO_COUNTY.id,
      countyName: DEMO_COUNTY.name,
      namedSchools: named,
      extraCare: EXTRA_CARE,
    }),
  ].map((generated) => generated.event);
  const batches = Array.from({ length: Math.ceil(events.length / BATCH) }, (_, i) => events.slice(i * BATCH, (i + 1) * BATCH));
  // Stored with other content (a conflict): the demo county of an earlier version of the generator, complete too.
  const seeded = (result: EventResult) => stored(result) || result.reason === 'conflict';
  if (first && (await record(batches[batches.length - 1], true)).every(seeded)) return { users, recorded: 0 };
  let done = 0;
  for (const batch of batches) {
    refuseRejections((await record(batch)).filter((result) => !stored(result)));
    done += batch.length;
    options.onProgress?.(done, events.length);
  }
  return { users, recorded: events.length };
}

/**
 * Yesterday (so that no event is in the future), or the day before it should yesterday's history
 * not be found again from its first day (`historyEndFrom`).
 */
function demoEnd(now: Date): string {
  for (let ms = now.getTime() - 86_400_000; ; ms -= 86_400_000) {
    const end = countyDateOf(ms);
    if (historyEndFrom(historyStart(end, MONTHS), MONTHS) === end) return end;
  }
}

/** The demo schools registered, with the autumn term's pupils reported: for tests that bring their own children. */
function schoolsOnly(schools: readonly ((typeof DEMO_SCHOOLS)[number] & { schoolId: string })[]): SubmittedEvent[] {
  return schools.flatMap((school) => [
    {
      eventId: uuidV5(`SchoolRegistered|${school.code}`, DEMO_IDS),
      type: 'SchoolRegistered',
      schoolId: school.schoolId,
      occurredAt: SCHOOLS_ONLY_AT,
      data: { name: school.name, countyId: DEMO_COUNTY.id, countyName: DEMO_COUNTY.name, townshipId: school.townshipId, townshipName: school.townshipName, level: school.level, boarding: school.boarding },
    },
    {
      eventId: uuidV5(`EnrollmentReported|${school.code}|2025-fall`, DEMO_IDS),
      type: 'EnrollmentReported',
      schoolId: school.schoolId,
      occurredAt: SCHOOLS_ONLY_AT,
      data: { term: '2025-fall', totalPupils: school.pupils },
    },
  ]);
}

/**
 * Stored already: a duplicate, or an event of a subject whose erasure is stored (it cannot be
 * compared any more, its key being gone; in the generated order an erasure is its subject's last
 * event, so every event of the subject before it was stored).
 */
function stored(result: EventResult): boolean {
  return result.status === 'duplicate' || (result.status === 'rejected' && result.reason === 'already-erased');
}

function refuseRejections(results: readonly EventResult[]): void {
  const refused = results.find((result) => result.status === 'rejected');
  if (refused) throw new Error(`demo seed refused: ${refused.reason} ${refused.field}: ${refused.message}`);
}
