import { randomUUID } from 'node:crypto';
import { carerRegistered, childEvent, childRegistered } from '../testing/events';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { SCHOOL_A, startIngestTestApp } from '../testing/ingest-test-app';

const pairing = (childId: string, carerId: string, occurredAt = '2025-03-10T10:00:00+08:00') =>
  childEvent('PairingStarted', childId, { pairingId: randomUUID(), carerId, role: 'head-teacher' }, occurredAt);
const LATER = '2025-04-01T10:00:00+08:00';

/** The ways a pairing stops being active (INDICATORS.md): ended, or its child leaves care. */
const ENDINGS: { how: string; end: (childId: string, pairingId: string) => object }[] = [
  { how: 'PairingEnded', end: (childId, pairingId) => childEvent('PairingEnded', childId, { pairingId, reason: 'moved' }, LATER) },
  { how: 'the child dropping out', end: (childId) => childEvent('EnrollmentChanged', childId, { change: 'dropped-out', schoolId: SCHOOL_A }, LATER) },
  { how: "the child's left-behind status ending", end: (childId) => childEvent('LeftBehindStatusEnded', childId, { reason: 'parents-returned' }, LATER) },
];

const DELIVERIES = ['one request per event', 'one batch', 'one atomic batch'] as const;

describe.each([2, 3])('carer load with MAX_CARER_LOAD=%i: pairings that stop being active free their place', (limit) => {
  let t: IngestTestApp;
  let send: (body: object, query?: string) => ReturnType<IngestTestApp['http']['post']>;
  beforeAll(async () => {
    t = await startIngestTestApp({ MAX_CARER_LOAD: String(limit) });
    const staff = await t.token('staff.a');
    send = (body, query = '') => t.http.post(`/api/v1/events${query}`).set('authorization', `Bearer ${staff}`).send(body);
  });
  afterAll(() => t.close());

  /** A carer paired with `limit` children, and one more child waiting for a place. */
  async function carerAtLimit() {
    const carerId = randomUUID();
    const paired = Array.from({ length: limit }, () => ({ childId: randomUUID(), start: undefined as unknown as ReturnType<typeof pairing> }));
    for (const child of paired) child.start = pairing(child.childId, carerId);
    const waiting = randomUUID();
    await send([carerRegistered(carerId, SCHOOL_A), ...[...paired.map((c) => c.childId), waiting].map((childId) => childRegistered(childId, SCHOOL_A)), ...paired.map((c) => c.start)]).expect(200);
    return { carerId, paired: paired.map((c) => ({ childId: c.childId, pairingId: c.start.data['pairingId'] as string })), waiting };
  }

  const refusedAsOverLoad = async (carerId: string) => {
    const child = randomUUID();
    await send(childRegistered(child, SCHOOL_A)).expect(201);
    expect((await send(pairing(child, carerId, LATER)).expect(422)).body).toMatchObject({ code: 'carer-over-load', field: 'data.carerId' });
  };

  describe.each(ENDINGS)('a place freed by $how', ({ end }) => {
    it.each(DELIVERIES)('is taken by a pairing started after it, sent as %s; the load stays at the limit', async (delivery) => {
      const { carerId, paired, waiting } = await carerAtLimit();
      const events = [end(paired[0].childId, paired[0].pairingId), pairing(waiting, carerId, LATER)];
      if (delivery === 'one request per event') {
        for (const event of events) await send(event).expect(201);
      } else {
        const response = await send(events, delivery === 'one atomic batch' ? '?atomic=true' : '').expect(200);
        expect(response.body).toMatchObject({ accepted: 2, rejected: 0 });
      }
      await refusedAsOverLoad(carerId);
    });
  });

  it.each([
    ['', ['carer-over-load', 'accepted']],
    ['?atomic=true', ['carer-over-load', 'atomic-batch-aborted']],
  ])('is not yet free for a pairing started before the end in the same batch (%s)', async (query, outcomes) => {
    const { carerId, paired, waiting } = await carerAtLimit();
    const events = [pairing(waiting, carerId, LATER), childEvent('PairingEnded', paired[0].childId, { pairingId: paired[0].pairingId, reason: 'moved' }, LATER)];
    const response = await send(events, query).expect(422);
    expect(response.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual(outcomes);
  });

  it('is taken once per freed place when batches that end and start race with requests that only start', async () => {
    const { carerId, paired } = await carerAtLimit();
    const newcomers = Array.from({ length: 2 * limit }, () => randomUUID());
    await send(newcomers.map((childId) => childRegistered(childId, SCHOOL_A))).expect(200);
    const swaps = paired.map(({ childId, pairingId }, i) =>
      send([childEvent('PairingEnded', childId, { pairingId, reason: 'moved' }, LATER), pairing(newcomers[i], carerId, LATER)]),
    );
    const extras = newcomers.slice(limit).map((childId) => send(pairing(childId, carerId, LATER)));
    const [swapped, extra] = await Promise.all([Promise.all(swaps), Promise.all(extras)]);
    expect(swapped.map((r) => r.status)).toEqual(paired.map(() => 200));
    expect(extra.map((r) => [r.status, r.body.code])).toEqual(extras.map(() => [422, 'carer-over-load']));
    await refusedAsOverLoad(carerId);
  });
});
