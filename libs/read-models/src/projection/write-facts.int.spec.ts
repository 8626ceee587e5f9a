import { randomUUID } from 'node:crypto';
import type { FactRow } from '../facts/fact-entities';
import { factOf } from './facts-of';
import type { ProjectedEvent } from './projected-event';
import { isFactPresent, writeFacts } from './write-facts';
import { useReadModelsDatabase } from '../testing/read-models-database';

const event = (type: string, streamId: string, data: Record<string, unknown>, globalPosition: number): ProjectedEvent => ({
  eventId: randomUUID(),
  type,
  streamId,
  globalPosition,
  occurredAt: '2025-03-01T09:00:00+08:00',
  recordedAt: '2025-03-01T01:00:01.250Z',
  data,
  metadata: { schoolId: 'school-1' },
});

describe('writeFacts', () => {
  const database = useReadModelsDatabase();

  it('stores every column as given, array columns and awkward text included, and counts only new facts', async () => {
    const awkward = ['name', 'guardian "a", b', 'back\\slash', '{braces}', '', 'NULL', '家庭住址'];
    const events = [
      event('CareHomeOpened', 'school-1', { homeId: 'h-1', name: 'Home, "one"', facilities: awkward }, 7),
      event('CareHomeOpened', 'school-2', { homeId: 'h-2', name: 'Home two', facilities: [] }, 8),
      event('CareActivityRecorded', 'child-1', { activityId: 'a-1', kind: 'aid', carerId: 'c-1', minutes: 20, amountYuan: 199.5 }, 9),
      event('CareActivityRecorded', 'child-2', { activityId: 'a-2', kind: 'talk' }, 2 ** 40),
    ];
    const facts = events.map(factOf).filter((fact): fact is FactRow => fact !== null);
    expect(await writeFacts(database.readModels.manager, facts)).toBe(4);

    const homes = (await database.readModels.query('SELECT home_id, name, facilities, global_position FROM care_homes ORDER BY home_id')) as unknown[];
    expect(homes).toEqual([
      { home_id: 'h-1', name: 'Home, "one"', facilities: awkward, global_position: '7' },
      { home_id: 'h-2', name: 'Home two', facilities: [], global_position: '8' },
    ]);
    const activities = (await database.readModels.query(
      `SELECT child_id, school_id, carer_id, minutes, amount_yuan::text, home_id, global_position, occurred_at = $1::timestamptz AS occurred, recorded_at = $2::timestamptz AS recorded
         FROM care_activities ORDER BY child_id`,
      ['2025-03-01T09:00:00+08:00', '2025-03-01T01:00:01.250Z'],
    )) as unknown[];
    expect(activities).toEqual([
      { child_id: '1', school_id: 'school-1', carer_id: 'c-1', minutes: 20, amount_yuan: '199.5', home_id: null, global_position: '9', occurred: true, recorded: true },
      { child_id: '2', school_id: 'school-1', carer_id: null, minutes: null, amount_yuan: null, home_id: null, global_position: String(2 ** 40), occurred: true, recorded: true },
    ]);

    // Applying an event again inserts nothing; the new one beside it counts.
    const another = factOf(event('CareActivityRecorded', 'child-3', { activityId: 'a-3', kind: 'talk' }, 10)) as FactRow;
    expect(await writeFacts(database.readModels.manager, [facts[0], facts[3], another])).toBe(1);
    expect(await writeFacts(database.readModels.manager, [])).toBe(0);
  });

  it.each([
    ['plain text', ['null', 'NULL', '', ' spaced ', 'a,b', '{x}', 'say "hi"', '家庭住址']],
    ['a backslash before a letter, which is no control character', ['back\\nslash', '\\\\u0041', 'ends\\']],
    ['control characters', ['line\nbreak', 'tab\there', 'bell\u0007', 'back\\\nslash']],
  ])('stores scalar text columns exactly: %s', async (_, names) => {
    const homeId = randomUUID();
    const facts = names.map((name, i) => factOf(event('CareHomeOpened', `school-${i}`, { homeId, name, facilities: [] }, i + 1)) as FactRow);
    expect(await writeFacts(database.readModels.manager, facts, 'fail')).toBe(names.length);
    const stored = (await database.readModels.query('SELECT name FROM care_homes WHERE home_id = $1 ORDER BY global_position', [homeId])) as {
      name: string;
    }[];
    expect(stored.map((row) => row.name)).toEqual(names);
  });

  it("keeps a child's cover windows merged batch after batch: a new window joins the windows it overlaps or touches, the others stay", async () => {
    const talk = (activityId: string, day: string, position: number) =>
      factOf({ ...event('CareActivityRecorded', 'child-talks', { activityId, kind: 'talk' }, position), occurredAt: `${day}T09:00:00+08:00` }) as FactRow;
    const covers = async () =>
      (await database.readModels.query(
        `SELECT to_char(valid_from AT TIME ZONE 'Asia/Shanghai', 'MM-DD') AS "from", to_char(valid_to AT TIME ZONE 'Asia/Shanghai', 'MM-DD') AS "to"
           FROM child_covers WHERE child_id = 'talks' ORDER BY valid_from`,
      )) as unknown[];
    await writeFacts(database.readModels.manager, [talk('t-1', '2025-03-01', 1), talk('t-2', '2025-03-10', 2), talk('t-3', '2025-05-01', 3)]);
    expect(await covers()).toEqual([
      { from: '03-01', to: '03-08' },
      { from: '03-10', to: '03-17' },
      { from: '05-01', to: '05-08' },
    ]);
    // Its window overlaps the first and ends where the second starts.
    const bridge = talk('t-4', '2025-03-03', 4);
    await writeFacts(database.readModels.manager, [bridge]);
    await writeFacts(database.readModels.manager, [bridge]);
    expect(await covers()).toEqual([
      { from: '03-01', to: '03-17' },
      { from: '05-01', to: '05-08' },
    ]);
  });

  it("fails on a fact already present when told to ('fail'), and the error says so", async () => {
    const fact = factOf(event('CareActivityRecorded', 'child-9', { activityId: 'a-9', kind: 'talk' }, 1)) as FactRow;
    await writeFacts(database.readModels.manager, [fact], 'fail');
    const error = await writeFacts(database.readModels.manager, [fact], 'fail').catch((failure: unknown) => failure);
    expect(isFactPresent(error)).toBe(true);
    expect(isFactPresent(new Error('other'))).toBe(false);
    expect(await writeFacts(database.readModels.manager, [fact], 'skip')).toBe(0);
  });
});
