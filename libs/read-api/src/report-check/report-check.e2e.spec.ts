import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import type { IngestTestApp } from '@lbc/ingest/testing';
import { PASSWORD, SCHOOL_A, SCHOOL_B, childRegistered } from '@lbc/ingest/testing';
import { startReadApiTestApp } from '../testing/read-api-test-app';

const AS_OF = '2025-10-01';
const SCOPE = 'county:wangcang';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Check = { figure: string; reported: unknown; atSubmission: unknown; today: unknown; verdict: string };

describe('POST /api/v1/stats/report-checks: a submitted report against the record as it stood', () => {
  let t: IngestTestApp;
  const tokens = new Map<string, string>();
  const auth = (username: string) => `Bearer ${tokens.get(username)}`;
  const register = async (schoolId: string, n: number, occurredAt: string) => {
    const events = Array.from({ length: n }, () => childRegistered(randomUUID(), schoolId, {}, occurredAt));
    await t.http.post('/api/v1/events').set('authorization', auth('admin')).send(events).expect(200);
    await t.project();
  };
  const exported = async (format: 'json' | 'csv' | 'xlsx') => {
    const response = await t.http
      .get(`/api/v1/stats?scope=${SCOPE}&asOf=${AS_OF}&format=${format}`)
      .set('authorization', auth('county.edu'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return response.body as Buffer;
  };
  const check = (username: string, body: Buffer | string, type: string, submittedAt: string) =>
    t.http.post(`/api/v1/stats/report-checks?submittedAt=${encodeURIComponent(submittedAt)}`).set('authorization', auth(username)).set('content-type', type)
      // supertest would send a Buffer given as JSON as {"type":"Buffer",…}: JSON goes as its text.
      .send(Buffer.isBuffer(body) && type === 'application/json' ? body.toString('utf8') : body);
  const byFigure = (figures: Check[]) => new Map(figures.map((figure) => [figure.figure, figure]));

  let reports: Record<'json' | 'csv' | 'xlsx', Buffer>;
  let submittedAt: string;

  beforeAll(async () => {
    t = await startReadApiTestApp({ SUPPRESSION_K: '3' });
    await t.accounts.createUser({ username: 'auditor.other', password: PASSWORD, role: 'auditor', countyId: 'cangxi' });
    for (const username of ['admin', 'county.edu', 'auditor', 'auditor.other', 'staff.a']) tokens.set(username, await t.token(username));
    await register(SCHOOL_A, 6, '2025-09-02T09:00:00+08:00');
    await register(SCHOOL_B, 5, '2025-09-02T09:00:00+08:00');
    // What the bureau downloaded and submitted, then the moment it was submitted.
    reports = { json: await exported('json'), csv: await exported('csv'), xlsx: await exported('xlsx') };
    submittedAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Recorded after submission, about September: a late record.
    await register(SCHOOL_B, 2, '2025-09-20T09:00:00+08:00');
  });
  afterAll(() => t.close());

  it.each(['json', 'csv', 'xlsx'] as const)('tells a late record from the report, in %s', async (format) => {
    const type = { json: 'application/json', csv: 'text/csv', xlsx: XLSX }[format];
    const { body } = await check('auditor', reports[format], type, submittedAt).expect(200);
    expect(body).toMatchObject({ scope: SCOPE, asOf: AS_OF, submittedAt });
    const figures = byFigure(body.figures);
    expect(figures.get('childrenInCare')).toEqual({ figure: 'childrenInCare', reported: 11, atSubmission: 11, today: 13, verdict: 'recorded-later' });
    expect(figures.get('carerLoad.carers')).toMatchObject({ reported: 0, atSubmission: 0, today: 0, verdict: 'as-recorded' });
    expect(body.summary.differs).toBe(0);
    expect(body.summary['recorded-later']).toBeGreaterThan(0);
  });

  it('names a figure the report gave wrong', async () => {
    const forged = reports.csv.toString('utf8').replace(/\r\nchildrenInCare,11\r\n/, '\r\nchildrenInCare,12\r\n');
    expect(forged).not.toBe(reports.csv.toString('utf8'));
    const { body } = await check('auditor', forged, 'text/csv', submittedAt).expect(200);
    expect(byFigure(body.figures).get('childrenInCare')).toMatchObject({ reported: 12, atSubmission: 11, today: 13, verdict: 'differs' });
    expect(body.summary.differs).toBe(1);
  });

  it('refuses what is not a report, and whoever may not check one', async () => {
    expect((await check('auditor', reports.csv, 'text/csv', 'yesterday').expect(400)).body).toMatchObject({ field: 'query.submittedAt' });
    expect((await check('auditor', '', 'text/csv', submittedAt).expect(422)).body).toMatchObject({ code: 'unreadable-report', field: 'body' });
    expect((await check('auditor', 'a,b\r\n1,2\r\n', 'text/csv', submittedAt).expect(422)).body).toMatchObject({ code: 'unreadable-report' });
    expect((await check('auditor', Buffer.from('PK\u0003\u0004garbage'), XLSX, submittedAt).expect(422)).body).toMatchObject({ code: 'unreadable-report' });
    // A cell of 5 MiB of one letter deflates to kilobytes: refused by what it inflates to.
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('statistics').addRow(['scope', 'G'.repeat(5 * 1024 * 1024)]);
    const bombBytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(bombBytes.length).toBeLessThan(64 * 1024);
    expect((await check('auditor', bombBytes, XLSX, submittedAt).expect(413)).body).toMatchObject({ code: 'report-too-large' });
    expect((await check('auditor', '{"scope":', 'application/json', submittedAt).expect(422)).body).toMatchObject({ code: 'unreadable-report' });
    expect((await check('auditor', 'hello', 'text/plain', submittedAt).expect(415)).body).toMatchObject({ code: 'unsupported-media-type' });
    expect((await check('auditor.other', reports.json, 'application/json', submittedAt).expect(403)).body).toMatchObject({ code: 'forbidden' });
    for (const username of ['county.edu', 'staff.a']) expect((await check(username, reports.json, 'application/json', submittedAt).expect(403)).body.code).toBe('forbidden');
    const badScope = reports.json.toString('utf8').replace(`"scope":"${SCOPE}"`, '"scope":"county:no such"');
    expect((await check('auditor', badScope, 'application/json', submittedAt).expect(400)).body).toMatchObject({ field: 'body.scope' });
  });
});
