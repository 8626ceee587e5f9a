import { randomUUID } from 'node:crypto';
import { carerRegistered, childEvent, childRegistered } from '../testing/events';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { SCHOOL_A, SCHOOL_B, startIngestTestApp } from '../testing/ingest-test-app';

interface Ids {
  readonly child: string;
  readonly other: string;
  readonly third: string;
  readonly carer: string;
}

interface Rule {
  readonly rule: string;
  readonly given: (ids: Ids) => object[];
  readonly when: (ids: Ids) => object;
  readonly code: string;
  readonly field: string;
  readonly as?: 'admin';
}

const enrollment = (childId: string, change: string, extra: object = {}, occurredAt = '2025-04-01T10:00:00+08:00') =>
  childEvent('EnrollmentChanged', childId, { change, schoolId: SCHOOL_A, ...extra }, occurredAt);
const activity = (childId: string, occurredAt?: string) => childEvent('CareActivityRecorded', childId, { activityId: randomUUID(), kind: 'talk', minutes: 15 }, occurredAt);
const pairing = (childId: string, carerId: string) => childEvent('PairingStarted', childId, { pairingId: randomUUID(), carerId, role: 'head-teacher' });

/** Every rule of DOMAIN.md "Rules", each broken once through HTTP. */
const RULES: Rule[] = [
  { rule: 'unknown child', given: () => [], when: ({ child }) => activity(child), code: 'unknown-child', field: 'childId' },
  {
    rule: 'unknown school',
    as: 'admin',
    given: () => [],
    when: ({ child }) => childRegistered(child, '99999999-9999-4999-8999-999999999999'),
    code: 'unknown-school',
    field: 'data.schoolId',
  },
  { rule: 'unknown carer', given: ({ child }) => [childRegistered(child, SCHOOL_A)], when: ({ child, carer }) => pairing(child, carer), code: 'unknown-carer', field: 'data.carerId' },
  {
    rule: 'closed file: new care work after graduation',
    given: ({ child }) => [childRegistered(child, SCHOOL_A), enrollment(child, 'graduated')],
    when: ({ child }) => activity(child, '2025-05-01T10:00:00+08:00'),
    code: 'closed-file',
    field: 'childId',
  },
  {
    rule: 'closed file: new care work after erasure',
    given: ({ child }) => [childRegistered(child, SCHOOL_A), childEvent('PersonalDataErased', child, { reason: 'guardian request' })],
    when: ({ child }) => activity(child, '2025-05-01T10:00:00+08:00'),
    code: 'closed-file',
    field: 'childId',
  },
  {
    rule: 'occurredAt more than 5 minutes in the future',
    given: () => [],
    when: ({ child }) => childRegistered(child, SCHOOL_A, {}, new Date(Date.now() + 10 * 60_000).toISOString()),
    code: 'future-occurred-at',
    field: 'occurredAt',
  },
  { rule: "before the child's birth", given: ({ child }) => [childRegistered(child, SCHOOL_A)], when: ({ child }) => activity(child, '2015-01-10T10:00:00+08:00'), code: 'before-birth', field: 'occurredAt' },
  {
    rule: 'a second active pairing of the same carer with the same child',
    given: ({ child, carer }) => [carerRegistered(carer, SCHOOL_A), childRegistered(child, SCHOOL_A), pairing(child, carer)],
    when: ({ child, carer }) => pairing(child, carer),
    code: 'duplicate-pairing',
    field: 'data.carerId',
  },
  {
    rule: "a carer above the county's maximum load (2 here)",
    given: ({ child, other, third, carer }) => [
      carerRegistered(carer, SCHOOL_A),
      childRegistered(child, SCHOOL_A),
      childRegistered(other, SCHOOL_A),
      childRegistered(third, SCHOOL_A),
      pairing(child, carer),
      pairing(other, carer),
    ],
    when: ({ third, carer }) => pairing(third, carer),
    code: 'carer-over-load',
    field: 'data.carerId',
  },
  {
    rule: 'returned without a prior dropped-out',
    given: ({ child }) => [childRegistered(child, SCHOOL_A)],
    when: ({ child }) => enrollment(child, 'returned'),
    code: 'invalid-enrollment-change',
    field: 'data.change',
  },
  {
    rule: 'dropped-out twice',
    given: ({ child }) => [childRegistered(child, SCHOOL_A), enrollment(child, 'dropped-out')],
    when: ({ child }) => enrollment(child, 'dropped-out', {}, '2025-04-05T10:00:00+08:00'),
    code: 'invalid-enrollment-change',
    field: 'data.change',
  },
  {
    rule: 'transferred-in without a transfer out',
    given: ({ child }) => [childRegistered(child, SCHOOL_A)],
    when: ({ child }) => enrollment(child, 'transferred-in', { otherSchoolId: SCHOOL_B }),
    code: 'invalid-enrollment-change',
    field: 'data.change',
  },
  {
    rule: 'an incident notification before the incident',
    given: ({ child }) => [childRegistered(child, SCHOOL_A), childEvent('IncidentReported', child, { incidentId: 'i1', kind: 'injury', severity: 'medium' }, '2025-03-10T10:00:00+08:00')],
    when: ({ child }) => childEvent('IncidentPartyNotified', child, { incidentId: 'i1', party: 'guardian' }, '2025-03-10T09:00:00+08:00'),
    code: 'notification-before-incident',
    field: 'occurredAt',
  },
  {
    rule: 'the same party notified twice',
    given: ({ child }) => [
      childRegistered(child, SCHOOL_A),
      childEvent('IncidentReported', child, { incidentId: 'i1', kind: 'injury', severity: 'medium' }, '2025-03-10T10:00:00+08:00'),
      childEvent('IncidentPartyNotified', child, { incidentId: 'i1', party: 'guardian' }, '2025-03-10T10:20:00+08:00'),
    ],
    when: ({ child }) => childEvent('IncidentPartyNotified', child, { incidentId: 'i1', party: 'guardian' }, '2025-03-10T10:40:00+08:00'),
    code: 'party-already-notified',
    field: 'data.party',
  },
];

describe('DOMAIN.md rules through HTTP: refused with code and field, store unchanged', () => {
  let t: IngestTestApp;
  beforeAll(async () => {
    t = await startIngestTestApp();
  });
  afterAll(() => t.close());

  it.each(RULES)('$rule → $code', async ({ given, when, code, field, as }) => {
    const ids: Ids = { child: randomUUID(), other: randomUUID(), third: randomUUID(), carer: randomUUID() };
    const token = await t.token(as === 'admin' ? 'admin' : 'staff.a');
    const send = (body: object) => t.http.post('/api/v1/events').set('authorization', `Bearer ${token}`).send(body);
    for (const event of given(ids)) await send(event).expect(201);
    const before = await t.allEvents();
    const response = await send(when(ids));
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code, field, status: 422, detail: expect.any(String) });
    expect(await t.allEvents()).toEqual(before);
  });

  it('admits exactly the maximum load when pairings of one carer race from many requests', async () => {
    const staff = await t.token('staff.a');
    const send = (body: object) => t.http.post('/api/v1/events').set('authorization', `Bearer ${staff}`).send(body);
    const carer = randomUUID();
    await send(carerRegistered(carer, SCHOOL_A)).expect(201);
    const children = Array.from({ length: 8 }, () => randomUUID());
    await send(children.map((child) => childRegistered(child, SCHOOL_A))).expect(200);
    const responses = await Promise.all(children.map((child) => send(pairing(child, carer))));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 201, 422, 422, 422, 422, 422, 422]);
    expect(responses.filter((r) => r.status === 422).every((r) => r.body.code === 'carer-over-load')).toBe(true);
  });

  it('acknowledges the same eventId twice as a duplicate, writing nothing the second time', async () => {
    const staff = await t.token('staff.a');
    const event = childRegistered(randomUUID(), SCHOOL_A);
    await t.http.post('/api/v1/events').set('authorization', `Bearer ${staff}`).send(event).expect(201);
    const before = await t.allEvents();
    const again = await t.http.post('/api/v1/events').set('authorization', `Bearer ${staff}`).send(event).expect(200);
    expect(again.body.status).toBe('duplicate');
    expect(await t.allEvents()).toEqual(before);
  });
});
