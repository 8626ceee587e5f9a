import { countyDateOf } from '@lbc/domain';
import { generateCounty, ndjsonLines } from '@lbc/county-generator';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { startIngestTestApp } from '../testing/ingest-test-app';

const BATCH = 500;

describe('a generated county through POST /api/v1/events', () => {
  let t: IngestTestApp;
  beforeAll(async () => {
    t = await startIngestTestApp({ INGEST_MAX_EVENTS: String(BATCH), INGEST_MAX_BODY_BYTES: String(4 * 1024 * 1024), MAX_CARER_LOAD: '3' });
  });
  afterAll(() => t.close());

  it('is accepted whole, batch by batch in the order generated, and stored as sent', async () => {
    const admin = await t.token('admin');
    const end = countyDateOf(Date.now() - 86_400_000);
    const county = [...generateCounty({ seed: 5, children: 120, months: 8, end, schools: 3, townships: 2 })];
    const refused: unknown[] = [];
    for (let i = 0; i < county.length; i += BATCH) {
      const batch = county.slice(i, i + BATCH);
      const response = await t.http
        .post('/api/v1/events')
        .set('authorization', `Bearer ${admin}`)
        .set('content-type', 'application/x-ndjson')
        .send([...ndjsonLines(batch)].join(''));
      const results = response.body.results as { status: string }[];
      results.forEach((result, index) => {
        if (result.status !== 'accepted') refused.push({ result, event: batch[index].event });
      });
    }
    expect(refused.slice(0, 3)).toEqual([]);
    const stored = await t.allEvents();
    const ids = new Set(stored.map((e) => e.eventId));
    expect(county.filter((e) => !ids.has(e.event.eventId))).toEqual([]);
    expect(new Set(county.map((e) => e.event.type)).size).toBeGreaterThan(18);
  });
});
