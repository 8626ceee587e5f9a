import type { CommandBus } from '@nestjs/cqrs';
import type { Accounts, User } from '@lbc/accounts';
import { parseSubmittedEvent } from '@lbc/domain';
import { RecordEventsCommand } from '../events/record-events.command';
import { uuidV5 } from '../util/uuid-v5';

const DEMO_IDS = '8d5c2f10-6a3b-5e47-b9d1-4c7e0a2f6b83';
export const DEMO_COUNTY = { id: 'wangcang', name: '旺苍县' } as const;

const DEMO_SCHOOLS = [
  { code: 'xinhua', name: '旺苍县新华小学', townshipId: 'dongcheng', townshipName: '东城镇', level: 'primary', boarding: false, pupils: 860 },
  { code: 'baishui', name: '白水镇中心小学', townshipId: 'baishui', townshipName: '白水镇', level: 'primary', boarding: true, pupils: 420 },
  { code: 'mumen', name: '木门镇初级中学', townshipId: 'mumen', townshipName: '木门镇', level: 'junior-secondary', boarding: true, pupils: 610 },
] as const;

const REGISTERED_AT = '2025-09-01T08:00:00+08:00';

/**
 * The demo county of API.md's demo mode: its schools (registered and with the autumn term's
 * pupils reported) and the demo accounts. Ids are fixed, so every start may call this: a second
 * run writes nothing (its events are duplicates, its accounts exist). Its events go through the
 * command bus like every other writer's.
 */
export async function seedDemo(commands: CommandBus, accounts: Accounts): Promise<User[]> {
  const schools = DEMO_SCHOOLS.map((school) => ({ ...school, schoolId: uuidV5(`school|${school.code}`, DEMO_IDS) }));
  const users = await accounts.seedDemoAccounts(DEMO_COUNTY.id, schools);
  const admin = users.find((user) => user.role === 'platform_admin');
  if (!admin) throw new Error('demo seed: the demo platform admin is missing');
  const events = schools.flatMap((school) => [
    {
      eventId: uuidV5(`SchoolRegistered|${school.code}`, DEMO_IDS),
      type: 'SchoolRegistered',
      schoolId: school.schoolId,
      occurredAt: REGISTERED_AT,
      data: { name: school.name, countyId: DEMO_COUNTY.id, countyName: DEMO_COUNTY.name, townshipId: school.townshipId, townshipName: school.townshipName, level: school.level, boarding: school.boarding },
    },
    {
      eventId: uuidV5(`EnrollmentReported|${school.code}|2025-fall`, DEMO_IDS),
      type: 'EnrollmentReported',
      schoolId: school.schoolId,
      occurredAt: REGISTERED_AT,
      data: { term: '2025-fall', totalPupils: school.pupils },
    },
  ]);
  const results = await commands.execute(
    new RecordEventsCommand(
      events.map((event) => ({ eventId: event.eventId, parsed: parseSubmittedEvent(event) })),
      { userId: admin.id, username: admin.username, role: 'platform_admin', countyId: DEMO_COUNTY.id },
      { atomic: true, correlationId: 'demo-seed' },
    ),
  );
  const refused = results.find((result) => result.status === 'rejected');
  if (refused) throw new Error(`demo seed refused: ${refused.reason} ${refused.field}: ${refused.message}`);
  return users;
}

