import { setTimeout as delay } from 'node:timers/promises';
import type { IngestTestApp } from '../testing/ingest-test-app';
import { SCHOOL_A, startIngestTestApp } from '../testing/ingest-test-app';
import { rosterCsv, rosterRows, rosterXlsx, rowsOfEveryTable, XLSX_TYPE } from '../testing/roster-files';

const MAX_ROWS = 8000;
const MAX_UNCOMPRESSED = 8 * 1024 * 1024;
const CENTRAL_DIRECTORY_ENTRY = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

/** The zip with `path`'s unpacked size in the central directory lowered to `size`, as a zip bomb lies. */
function understated(file: Buffer, path: string, size: number): Buffer {
  const lying = Buffer.from(file);
  let found = false;
  for (let at = lying.indexOf(CENTRAL_DIRECTORY_ENTRY); at >= 0; at = lying.indexOf(CENTRAL_DIRECTORY_ENTRY, at + 4)) {
    const nameLength = lying.readUInt16LE(at + 28);
    if (lying.toString('utf8', at + 46, at + 46 + nameLength) !== path) continue;
    lying.writeUInt32LE(size, at + 24);
    found = true;
  }
  if (!found) throw new Error(`no ${path} in the zip`);
  return lying;
}

describe('roster imports at scale: limits, a responsive server, shutdown', () => {
  let t: IngestTestApp;
  let staffA: string;
  beforeAll(async () => {
    t = await startIngestTestApp({ INGEST_MAX_BODY_BYTES: String(4 * 1024 * 1024), ROSTER_MAX_ROWS: String(MAX_ROWS), ROSTER_MAX_UNCOMPRESSED_BYTES: String(MAX_UNCOMPRESSED) });
    staffA = await t.token('staff.a');
  });
  afterAll(() => t.close());

  const upload = (body: Buffer, query = '?dryRun=true', contentType = XLSX_TYPE) =>
    t.http.post(`/api/v1/schools/${SCHOOL_A}/roster${query}`).set('authorization', `Bearer ${staffA}`).set('content-type', contentType).send(body);

  it(`/health answers within 1 s all through the import of a ${MAX_ROWS}-row XLSX`, async () => {
    const file = await rosterXlsx(rosterRows(MAX_ROWS));
    let importing = true;
    const imported = upload(file).then((response) => {
      importing = false;
      return response;
    });
    const latencies: number[] = [];
    while (importing) {
      const start = performance.now();
      await t.http.get('/health').expect(200);
      latencies.push(performance.now() - start);
      await delay(50);
    }
    const response = await imported;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ rows: MAX_ROWS, registered: MAX_ROWS, existing: 0, errors: [] });
    expect(latencies.length).toBeGreaterThan(5);
    expect(Math.max(...latencies)).toBeLessThan(1000);
  }, 180_000);

  it('refuses more rows than ROSTER_MAX_ROWS with a 413 naming the limit, and writes nothing', async () => {
    const before = await rowsOfEveryTable(t.readModels);
    for (const [file, type] of [
      [rosterCsv(rosterRows(MAX_ROWS + 1)), 'text/csv'],
      [await rosterXlsx(rosterRows(MAX_ROWS + 1)), XLSX_TYPE],
    ] as const) {
      for (const query of ['?dryRun=true', '']) {
        const response = await upload(file, query, type).expect(413);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body).toMatchObject({ status: 413, code: 'roster-too-many-rows', limit: MAX_ROWS, setting: 'ROSTER_MAX_ROWS' });
      }
    }
    expect(await rowsOfEveryTable(t.readModels)).toEqual(before);
  }, 180_000);

  it('refuses an XLSX that unpacks beyond ROSTER_MAX_UNCOMPRESSED_BYTES (413), and one whose sizes lie (400), without unpacking it', async () => {
    const bomb = await rosterXlsx([[...rosterRows(1)[0].slice(0, 14), 'G'.repeat(MAX_UNCOMPRESSED + 1)]]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const refused = await upload(bomb).expect(413);
    expect(refused.body).toMatchObject({ code: 'roster-too-large-uncompressed', limit: MAX_UNCOMPRESSED, setting: 'ROSTER_MAX_UNCOMPRESSED_BYTES' });

    const lying = understated(bomb, 'xl/sharedStrings.xml', 1000);
    const malformed = await upload(lying).expect(400);
    expect(malformed.body).toMatchObject({ code: 'malformed-roster', detail: expect.stringMatching(/too many bytes/) });
  });

  it('closing the app (as SIGTERM does) ends a running import at once with a 503', async () => {
    // Other pupils than the first test's: their streams are not in the cache yet, so the import runs long.
    const file = await rosterXlsx(rosterRows(MAX_ROWS, MAX_ROWS + 1));
    const imported = upload(file).then((response) => response);
    await delay(1000);
    const start = performance.now();
    await t.app.close();
    expect(performance.now() - start).toBeLessThan(2000);
    const response = await imported;
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'shutting-down' });
  }, 60_000);
});

describe('a roster import the server stops midway through writing', () => {
  let t: IngestTestApp;
  beforeAll(async () => {
    t = await startIngestTestApp({ INGEST_MAX_BODY_BYTES: String(4 * 1024 * 1024) });
  });
  afterAll(() => t.close());

  it('ends its 200 stream with a "failed" line saying what was written, instead of cutting the connection', async () => {
    const server = t.app.getHttpServer().listen(0);
    const { port } = server.address() as { port: number };
    const token = await t.token('staff.a');
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/schools/${SCHOOL_A}/roster`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: rosterCsv(rosterRows(1000)),
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('\n')) text += (await reader.read()).value ?? '';
    const closing = t.app.close();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    await closing;
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as { phase: string; done: number; registered: number; problem?: { code: string } });
    const last = lines[lines.length - 1];
    expect(last).toMatchObject({ phase: 'failed', problem: { status: 503, code: 'shutting-down' } });
    expect(last.done).toBeLessThan(1000);
    expect((await t.allEvents()).filter((event) => event.type === 'ChildRegistered')).toHaveLength(last.registered);
  }, 120_000);
});
