import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import type { SchemaObject } from '@nestjs/swagger';
import { countyDateOf, INDICATOR_KEYS } from '@lbc/domain';
import type { IngestTestApp } from '@lbc/ingest/testing';
import { carerRegistered, childEvent, childRegistered, COUNTY, PASSWORD, SCHOOL_A, SCHOOL_B } from '@lbc/ingest/testing';
import { schemaErrors } from '../testing/schema-errors';
import { startReadApiTestApp } from '../testing/read-api-test-app';

// Wangcang: 东城镇 (dongcheng) with A (3 children), B (12, 2 of them paired) and C (9); 白水镇 (baishui)
// with D (20, 4 of them orphans) and E (4). A second county, 苍溪 (cangxi), with X (3). k = 4.
// childrenInCare with k = 4: A is primary; C (the smallest other school of dongcheng, whose total is
// shown) is hidden with it, or A = 24 − 12 − C. Paired: B (2) and dongcheng (2) are primary.
// Children with a risk flag (keyAssistance): 2 in A, 6 in D; dongcheng (2) is primary, so baishui
// (6) is hidden with it, or dongcheng = 8 − 6; then D, baishui's only such school, is hidden too.
const SCHOOL_C = '33333333-3333-4333-8333-333333333333';
const SCHOOL_D = '44444444-4444-4444-8444-444444444444';
const SCHOOL_E = '55555555-5555-4555-8555-555555555555';
const SCHOOL_X = '66666666-6666-4666-8666-666666666666';
const COUNTY_2 = 'cangxi';
const CHILDREN: Readonly<Record<string, number>> = { [SCHOOL_A]: 3, [SCHOOL_B]: 12, [SCHOOL_C]: 9, [SCHOOL_D]: 20, [SCHOOL_E]: 4, [SCHOOL_X]: 3 };
const TOWNSHIP_OF: Readonly<Record<string, string>> = { [SCHOOL_A]: 'dongcheng', [SCHOOL_B]: 'dongcheng', [SCHOOL_C]: 'dongcheng', [SCHOOL_D]: 'baishui', [SCHOOL_E]: 'baishui' };
const AS_OF = '2025-10-01';
const REGISTERED_AT = '2025-09-02T09:00:00+08:00';

type Json = Record<string, unknown>;

const leavesOf = (value: unknown, name: string): [string, unknown][] =>
  value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([key, inner]) => leavesOf(inner, `${name}.${key}`)) : [[name, value]];

describe('GET /api/v1/stats, /stats/series, /stats/breakdown', () => {
  let t: IngestTestApp;
  const tokens = new Map<string, string>();
  const get = (username: string | null, path: string) => (username === null ? t.http.get(path) : t.http.get(path).set('authorization', `Bearer ${tokens.get(username)}`));
  const ok = async (username: string, path: string): Promise<Json> => (await get(username, path).expect(200)).body as Json;
  const stats = (username: string, scope: string, query = `asOf=${AS_OF}`) => ok(username, `/api/v1/stats?scope=${scope}&${query}`);

  const registerSchool = (schoolId: string, name: string, countyId: string, townshipId: string, townshipName: string) => ({
    eventId: randomUUID(),
    type: 'SchoolRegistered',
    schoolId,
    occurredAt: '2024-09-01T08:00:00+08:00',
    data: { name, countyId, countyName: countyId === COUNTY ? '旺苍县' : '苍溪县', townshipId, townshipName, level: 'primary', boarding: false },
  });

  beforeAll(async () => {
    t = await startReadApiTestApp({ SUPPRESSION_K: '4' });
    const admin = await t.token('admin');
    const send = async (events: readonly object[]) => {
      for (let i = 0; i < events.length; i += 50) await t.http.post('/api/v1/events').set('authorization', `Bearer ${admin}`).send(events.slice(i, i + 50)).expect(200);
    };
    // SCHOOL_A and SCHOOL_B are registered by the harness, in dongcheng.
    await send([
      registerSchool(SCHOOL_C, '城关小学', COUNTY, 'dongcheng', '东城镇'),
      registerSchool(SCHOOL_D, '白水小学', COUNTY, 'baishui', '白水镇'),
      registerSchool(SCHOOL_E, '石板小学', COUNTY, 'baishui', '白水镇'),
      registerSchool(SCHOOL_X, '陵江小学', COUNTY_2, 'lingjiang', '陵江镇'),
    ]);
    const children = Object.entries(CHILDREN).flatMap(([schoolId, n]) =>
      Array.from({ length: n }, (_, i) => childRegistered(randomUUID(), schoolId, schoolId === SCHOOL_D && i < 4 ? { category: 'orphan' } : {}, REGISTERED_AT)),
    );
    const carerId = randomUUID();
    const paired = children.filter((event) => event.data.schoolId === SCHOOL_B).slice(0, 2);
    const flagged = [...children.filter((event) => event.data.schoolId === SCHOOL_A).slice(0, 2), ...children.filter((event) => event.data.schoolId === SCHOOL_D).slice(0, 6)];
    await send([
      ...children,
      ...flagged.map((event) => childEvent('RiskFlagged', event.childId, { flag: 'psychological' }, '2025-09-05T10:00:00+08:00')),
      carerRegistered(carerId, SCHOOL_B),
      ...paired.map((event, i) => childEvent('PairingStarted', event.childId, { pairingId: `p-${i}`, carerId, role: 'head-teacher' }, '2025-09-10T10:00:00+08:00')),
    ]);
    await t.accounts.createUser({ username: 'county.league', password: PASSWORD, role: 'county_youth_league', countyId: COUNTY });
    await t.accounts.createUser({ username: 'admin.a', password: PASSWORD, role: 'school_admin', schoolId: SCHOOL_A, countyId: COUNTY });
    await t.accounts.createUser({ username: 'county.edu.2', password: PASSWORD, role: 'county_education', countyId: COUNTY_2 });
    await t.accounts.createUser({ username: 'auditor.2', password: PASSWORD, role: 'auditor', countyId: COUNTY_2 });
    await t.accounts.createUser({ username: 'staff.x', password: PASSWORD, role: 'school_staff', schoolId: SCHOOL_X, countyId: COUNTY_2 });
    for (const username of ['admin', 'staff.a', 'county.edu', 'auditor', 'county.league', 'admin.a', 'county.edu.2', 'auditor.2', 'staff.x']) tokens.set(username, await t.token(username));
    await t.project();
  });
  afterAll(() => t.close());

  describe('indicators', () => {
    it('answers every indicator of a county, exact for the county itself, with the freshness of the read models', async () => {
      const body = await stats('county.edu', `county:${COUNTY}`);
      const events = await t.allEvents();
      expect(body).toMatchObject({ scope: `county:${COUNTY}`, asOf: AS_OF, from: '2025-09-01', suppressed: false });
      expect(body).not.toHaveProperty('recordedBy');
      // Writers of different streams commit in parallel, so the newest recordedAt need not be the last position's.
      expect(Date.parse(body.dataAsOf as string)).toBe(Math.max(...events.map((event) => Date.parse(event.recordedAt))));
      expect(Object.keys(body.indicators as Json)).toEqual(INDICATOR_KEYS);
      expect(body.indicators).toMatchObject({
        childrenInCare: 48,
        leftBehindChildren: 44,
        pupils: 0,
        pupilShare: null,
        pairingCoverage: 2 / 48,
        carerLoad: { carers: 1, mean: 2, max: 2, overLimit: 0 },
        guardianshipByType: { grandparent: 48, relative: 0, entrusted: 0, 'parent-at-home': 0, none: 0 },
        retentionRate: 1,
      });
    });

    it('hides a school’s small count from county roles, and the school whose shown count would give it away', async () => {
      for (const role of ['county.edu', 'county.league']) {
        const a = await stats(role, `school:${SCHOOL_A}`);
        expect(a).toMatchObject({ suppressed: true, indicators: { childrenInCare: '*', leftBehindChildren: '*', pairingCoverage: null, archiveCompleteness: null } });
        expect((await stats(role, `school:${SCHOOL_C}`)).indicators).toMatchObject({ childrenInCare: '*', leftBehindChildren: '*' });
        // B's 2 paired children are few: the count is hidden, and so every share made of it.
        const b = await stats(role, `school:${SCHOOL_B}`);
        expect(b.indicators).toMatchObject({ childrenInCare: 12, pairingCoverage: null, careCadence: { paired: '*', talk7d: null }, carerLoad: { carers: '*', mean: null, max: '*' } });
        expect((await stats(role, 'township:dongcheng')).indicators).toMatchObject({ childrenInCare: 24, pairingCoverage: null });
        expect((await stats(role, `school:${SCHOOL_E}`)).indicators).toMatchObject({ childrenInCare: 4 });
      }
    });

    it('shows auditors, platform_admin and the school itself the exact figures', async () => {
      for (const [role, scope] of [
        ['auditor', `school:${SCHOOL_A}`],
        ['admin', `school:${SCHOOL_A}`],
        ['staff.a', `school:${SCHOOL_A}`],
        ['admin.a', `school:${SCHOOL_A}`],
      ]) {
        expect(await stats(role, scope)).toMatchObject({ suppressed: false, indicators: { childrenInCare: 3, leftBehindChildren: 3, pairingCoverage: 0 } });
      }
      expect((await stats('auditor', `school:${SCHOOL_B}`)).indicators).toMatchObject({ pairingCoverage: 2 / 12, careCadence: { paired: 2, talk7d: 0 } });
      expect((await stats('admin', `county:${COUNTY_2}`)).indicators).toMatchObject({ childrenInCare: 3 });
    });

    it('defaults asOf to today (county-local) and from to the start of its school year', async () => {
      const before = countyDateOf(Date.now());
      const body = await ok('county.edu', `/api/v1/stats?scope=county:${COUNTY}`);
      expect([before, countyDateOf(Date.now())]).toContain(body.asOf);
      const year = Number((body.asOf as string).slice(0, 4)) - (Number((body.asOf as string).slice(5, 7)) >= 9 ? 0 : 1);
      expect(body.from).toBe(`${year}-09-01`);
      expect((body.indicators as Json).childrenInCare).toBe(48);
    });

    it('leaves out what was recorded after recordedBy, and says so', async () => {
      const body = await stats('admin', `county:${COUNTY}`, `asOf=${AS_OF}&recordedBy=2025-01-01T00:00:00%2B08:00`);
      expect(body).toMatchObject({ recordedBy: '2025-01-01T00:00:00+08:00', indicators: { childrenInCare: 0 } });
    });

    it('echoes a recordedBy given without seconds as an RFC 3339 date-time, the same instant, in every view and file header', async () => {
      const recordedBy = '2025-10-01T09:30:00+08:00';
      const given = 'recordedBy=2025-10-01T09:30%2B08:00';
      const paths = [
        `/api/v1/stats?scope=county:${COUNTY}&asOf=${AS_OF}&${given}`,
        `/api/v1/stats/series?scope=county:${COUNTY}&indicator=childrenInCare&months=2&asOf=${AS_OF}&${given}`,
        `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=township&indicator=childrenInCare&asOf=${AS_OF}&${given}`,
        `/api/v1/read-models/children-in-care?scope=county:${COUNTY}&asOf=${AS_OF}&${given}`,
      ];
      for (const path of paths) expect({ path, recordedBy: (await ok('admin', path)).recordedBy }).toEqual({ path, recordedBy });
      const header = (await get('admin', `${paths[0]}&format=csv`).expect(200)).text;
      expect(header.split(/\r?\n/)).toContain(`recordedBy,${recordedBy}`);
      expect((await stats('admin', `county:${COUNTY}`, `asOf=${AS_OF}&${given}`)).indicators).toEqual(
        (await stats('admin', `county:${COUNTY}`, `asOf=${AS_OF}&recordedBy=${encodeURIComponent(recordedBy)}`)).indicators,
      );
    });
  });

  describe('access', () => {
    const scopes = [`county:${COUNTY_2}`, 'township:lingjiang', `school:${SCHOOL_X}`];
    const paths = (scope: string) => [
      `/api/v1/stats?scope=${scope}`,
      `/api/v1/stats/series?scope=${scope}&indicator=childrenInCare&months=2`,
      `/api/v1/read-models/children-in-care?scope=${scope}`,
      ...(scope.startsWith('school:') ? [] : [`/api/v1/stats/breakdown?scope=${scope}&by=school&indicator=childrenInCare`]),
    ];

    it.each(['county.edu', 'county.league', 'auditor', 'staff.a', 'admin.a'])('refuses %s every scope of the second county (403 forbidden)', async (role) => {
      for (const scope of scopes) {
        for (const path of paths(scope)) {
          const refused = await get(role, path).expect(403);
          expect({ path, body: refused.body }).toMatchObject({ path, body: { code: 'forbidden', field: 'query.scope', status: 403 } });
          expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(JSON.stringify(refused.body)).not.toMatch(/"childrenInCare"/);
        }
      }
    });

    it('lets the second county’s own roles in: its county role suppressed, its auditor and school exact', async () => {
      expect((await stats('county.edu.2', `school:${SCHOOL_X}`)).indicators).toMatchObject({ childrenInCare: '*' });
      expect((await stats('county.edu.2', `county:${COUNTY_2}`)).indicators).toMatchObject({ childrenInCare: 3 });
      expect((await stats('auditor.2', `school:${SCHOOL_X}`)).indicators).toMatchObject({ childrenInCare: 3 });
      expect((await stats('staff.x', `school:${SCHOOL_X}`)).indicators).toMatchObject({ childrenInCare: 3 });
      await get('county.edu.2', `/api/v1/stats?scope=county:${COUNTY}`).expect(403);
    });

    it('keeps school roles to their own school: not another school, its township or its county', async () => {
      for (const role of ['staff.a', 'admin.a']) {
        for (const scope of [`school:${SCHOOL_B}`, 'township:dongcheng', `county:${COUNTY}`]) {
          expect((await get(role, `/api/v1/stats?scope=${scope}`).expect(403)).body).toMatchObject({ code: 'forbidden', field: 'query.scope' });
        }
        await get(role, `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=school&indicator=childrenInCare`).expect(403);
      }
    });

    it('answers 404 unknown-scope for a scope nobody registered, and 401 without a token', async () => {
      for (const scope of ['county:nowhere', `school:${randomUUID()}`, 'township:nowhere']) {
        expect((await get('admin', `/api/v1/stats?scope=${scope}`).expect(404)).body).toMatchObject({ code: 'unknown-scope', field: 'query.scope' });
      }
      for (const path of paths(`county:${COUNTY}`)) expect((await get(null, path).expect(401)).body.code).toBe('unauthorized');
    });

    it('suppresses children-in-care for county roles as the statistics do (a school’s 3 is "*")', async () => {
      const county = await ok('county.edu', `/api/v1/read-models/children-in-care?scope=school:${SCHOOL_A}&asOf=${AS_OF}`);
      expect(county).toMatchObject({ scope: `school:${SCHOOL_A}`, asOf: AS_OF, recordedBy: null, suppressed: true, childrenInCare: '*', leftBehindChildren: '*' });
      expect(await ok('county.edu', `/api/v1/read-models/children-in-care?scope=school:${SCHOOL_C}&asOf=${AS_OF}`)).toMatchObject({ childrenInCare: '*' });
      expect(await ok('auditor', `/api/v1/read-models/children-in-care?scope=school:${SCHOOL_A}&asOf=${AS_OF}`)).toMatchObject({ suppressed: false, childrenInCare: 3 });
    });
  });

  describe('one suppression pattern for every view', () => {
    const schoolsOf = (township: string) => Object.keys(TOWNSHIP_OF).filter((schoolId) => TOWNSHIP_OF[schoolId] === township);

    it('shows each school’s and township’s cell alike in its own scope, in a county breakdown and in a township breakdown', async () => {
      for (const indicator of ['childrenInCare', 'pairingCoverage', 'careCadence', 'carerLoad']) {
        const bySchool = await ok('county.edu', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=school&indicator=${indicator}&asOf=${AS_OF}`);
        const byTownship = await ok('county.edu', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=township&indicator=${indicator}&asOf=${AS_OF}`);
        const county = await stats('county.edu', `county:${COUNTY}`);
        expect(bySchool.total).toEqual({ unit: `county:${COUNTY}`, value: (county.indicators as Json)[indicator] });
        expect(byTownship.total).toEqual(bySchool.total);
        for (const row of bySchool.rows as { unit: string; value: unknown }[]) {
          expect({ row: row.unit, value: ((await stats('county.edu', row.unit)).indicators as Json)[indicator] }).toEqual({ row: row.unit, value: row.value });
        }
        for (const row of byTownship.rows as { unit: string; value: unknown }[]) {
          const own = await ok('county.edu', `/api/v1/stats/breakdown?scope=${row.unit}&by=school&indicator=${indicator}&asOf=${AS_OF}`);
          expect(own.total).toEqual({ unit: row.unit, value: row.value });
          expect(((await stats('county.edu', row.unit)).indicators as Json)[indicator]).toEqual(row.value);
          const inCounty = (bySchool.rows as { unit: string }[]).filter((r) => schoolsOf(row.unit.slice('township:'.length)).includes(r.unit.slice('school:'.length)));
          expect(own.rows).toEqual(inCounty);
        }
      }
    });

    it('hides a small township with the county’s next smallest, and a school of that township, so the county total gives neither away', async () => {
      const byTownship = await ok('county.edu', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=township&indicator=keyAssistance&asOf=${AS_OF}`);
      expect(byTownship.rows).toEqual([
        { unit: 'township:baishui', name: '白水镇', value: { children: '*', pairedShare: null } },
        { unit: 'township:dongcheng', name: '东城镇', value: { children: '*', pairedShare: null } },
      ]);
      expect(byTownship.total).toEqual({ unit: `county:${COUNTY}`, value: { children: 8, pairedShare: 0 } });
      const bySchool = await ok('county.edu', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=school&indicator=keyAssistance&asOf=${AS_OF}`);
      expect((bySchool.rows as { value: { children: unknown } }[]).map((row) => row.value.children)).toEqual(['*', 0, 0, '*', 0]);
      const exact = await ok('auditor', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=school&indicator=keyAssistance&asOf=${AS_OF}`);
      expect((exact.rows as { value: { children: unknown } }[]).map((row) => row.value.children)).toEqual([2, 0, 0, 6, 0]);
    });

    it('leaves no published group with a single hidden cell beside non-zero shown ones, for any count of any indicator', async () => {
      const counts = (rows: readonly { value: unknown }[], indicator: string) =>
        rows.map((row) => Object.fromEntries(leavesOf(row.value, indicator).filter(([, value]) => value === '*' || Number.isInteger(value))));
      for (const indicator of INDICATOR_KEYS) {
        const query = `indicator=${indicator}&asOf=${AS_OF}`;
        const groups = [
          (await ok('county.edu', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=township&${query}`)).rows,
          (await ok('county.edu', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=school&${query}`)).rows,
          ...(await Promise.all(['dongcheng', 'baishui'].map(async (township) => {
            const body = await ok('county.edu', `/api/v1/stats/breakdown?scope=township:${township}&by=school&${query}`);
            // A hidden township's schools are no published group.
            return JSON.stringify(body.total).includes('"*"') ? [] : body.rows;
          }))),
        ] as { value: unknown }[][];
        for (const rows of groups) {
          const cells = counts(rows, indicator);
          for (const leaf of Object.keys(cells[0] ?? {})) {
            const column = cells.map((row) => row[leaf]);
            const hidden = column.filter((value) => value === '*').length;
            const shownNonZero = column.filter((value) => value !== '*' && value !== 0).length;
            expect({ indicator, leaf, column, recoverable: hidden === 1 && shownNonZero > 0 }).toEqual({ indicator, leaf, column, recoverable: false });
          }
        }
      }
    });

    it('lists every unit of the scope, zeros too, in unit-id order, with names, and the scope’s total', async () => {
      const body = await ok('county.edu', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=school&indicator=childrenInCare&asOf=${AS_OF}`);
      expect(body).toMatchObject({ scope: `county:${COUNTY}`, by: 'school', indicator: 'childrenInCare', asOf: AS_OF, from: '2025-09-01', suppressed: true });
      expect(body.rows).toEqual([
        { unit: `school:${SCHOOL_A}`, name: '新华小学', townshipId: 'dongcheng', value: '*' },
        { unit: `school:${SCHOOL_B}`, name: '白水小学', townshipId: 'dongcheng', value: 12 },
        { unit: `school:${SCHOOL_C}`, name: '城关小学', townshipId: 'dongcheng', value: '*' },
        { unit: `school:${SCHOOL_D}`, name: '白水小学', townshipId: 'baishui', value: 20 },
        { unit: `school:${SCHOOL_E}`, name: '石板小学', townshipId: 'baishui', value: 4 },
      ]);
      expect(body.total).toEqual({ unit: `county:${COUNTY}`, value: 48 });
      const earlier = await ok('county.edu', `/api/v1/stats/breakdown?scope=township:baishui&by=school&indicator=childrenInCare&asOf=2025-08-31`);
      expect(earlier).toMatchObject({ suppressed: false, total: { unit: 'township:baishui', value: 0 } });
      expect((earlier.rows as { value: unknown }[]).map((row) => row.value)).toEqual([0, 0]);
      const townships = await ok('auditor', `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=township&indicator=childrenInCare&asOf=${AS_OF}`);
      expect(townships.rows).toEqual([
        { unit: 'township:baishui', name: '白水镇', value: 24 },
        { unit: 'township:dongcheng', name: '东城镇', value: 24 },
      ]);
    });

    it('shows each point of a series as the indicator at that date shows it', async () => {
      for (const scope of [`school:${SCHOOL_A}`, `school:${SCHOOL_B}`, `school:${SCHOOL_C}`, 'township:dongcheng', `county:${COUNTY}`]) {
        for (const indicator of ['childrenInCare', 'pairingCoverage', 'careCadence']) {
          const series = await ok('county.edu', `/api/v1/stats/series?scope=${scope}&indicator=${indicator}&months=3&asOf=2025-10-31`);
          expect((series.points as { asOf: string; from: string }[]).map(({ asOf, from }) => [asOf, from])).toEqual([
            ['2025-08-31', '2024-09-01'],
            ['2025-09-30', '2025-09-01'],
            ['2025-10-31', '2025-09-01'],
          ]);
          for (const point of series.points as { asOf: string; value: unknown }[]) {
            expect({ scope, indicator, point: point.asOf, value: ((await stats('county.edu', scope, `asOf=${point.asOf}`)).indicators as Json)[indicator] }).toEqual({
              scope,
              indicator,
              point: point.asOf,
              value: point.value,
            });
          }
        }
      }
      const c = await ok('county.edu', `/api/v1/stats/series?scope=school:${SCHOOL_C}&indicator=childrenInCare&months=3&asOf=2025-10-31`);
      expect(c).toMatchObject({ scope: `school:${SCHOOL_C}`, indicator: 'childrenInCare', asOf: '2025-10-31', from: '2025-09-01', suppressed: true });
      expect((c.points as { value: unknown }[]).map((point) => point.value)).toEqual([0, '*', '*']);
      const fixed = await ok('auditor', `/api/v1/stats/series?scope=school:${SCHOOL_C}&indicator=childrenInCare&months=2&asOf=2025-10-31&from=2025-09-15`);
      expect(fixed.points).toEqual([
        { asOf: '2025-09-30', from: '2025-09-15', value: 9 },
        { asOf: '2025-10-31', from: '2025-09-15', value: 9 },
      ]);
    });
  });

  describe('exports', () => {
    const file = async (username: string, path: string) => {
      const response = await get(username, path)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      return { body: response.body as Buffer, type: response.headers['content-type'] as string, disposition: response.headers['content-disposition'] as string };
    };
    const csvRows = (body: Buffer) => parse(body.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const xlsxRows = async (body: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      const sheet = workbook.worksheets[0];
      // An empty cell reads as null, as a null share is written.
      sheet.eachRow({ includeEmpty: true }, (row) => rows.push(Array.from({ length: sheet.actualColumnCount }, (_, i) => row.getCell(i + 1).value ?? null)));
      return rows;
    };
    /** The header block as a map, and the table after the empty row. */
    const split = (rows: unknown[][]) => {
      const blank = rows.findIndex((row) => row.every((cell) => cell === null || cell === ''));
      return { header: Object.fromEntries(rows.slice(0, blank).map((row) => [row[0], row[1]])), table: rows.slice(blank + 1) };
    };
    const asCsv = (value: unknown) => (value === null ? '' : String(value));
    const asXlsx = (value: unknown) => (value === '' ? null : value);

    it('exports the indicators as CSV (UTF-8 with BOM, header block) and XLSX, cell for cell as the JSON', async () => {
      const path = `/api/v1/stats?scope=school:${SCHOOL_B}&asOf=${AS_OF}`;
      const json = await ok('county.edu', path);
      const expected = Object.entries(json.indicators as Json).flatMap(([key, value]) => leavesOf(value, key));

      const csv = await file('county.edu', `${path}&format=csv`);
      expect(csv.type).toBe('text/csv; charset=utf-8');
      expect(csv.disposition).toBe(`attachment; filename="stats-school_${SCHOOL_B}-${AS_OF}.csv"`);
      expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const fromCsv = split(csvRows(csv.body));
      expect(fromCsv.header).toEqual({
        scope: `school:${SCHOOL_B}`,
        asOf: AS_OF,
        from: '2025-09-01',
        dataAsOf: json.dataAsOf,
        suppressed: 'true',
        legend: '* = fewer than 4, or hidden so that a small count cannot be worked out; * = 少于4，或为防止推算出小数而隐藏',
      });
      expect(fromCsv.table).toEqual([['indicator', 'value'], ...expected.map(([name, value]) => [name, asCsv(value)])]);
      expect(fromCsv.table).toContainEqual(['careCadence.paired', '*']);

      const xlsx = await file('county.edu', `${path}&format=xlsx`);
      expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(xlsx.disposition).toBe(`attachment; filename="stats-school_${SCHOOL_B}-${AS_OF}.xlsx"`);
      const fromXlsx = split(await xlsxRows(xlsx.body));
      expect(fromXlsx.header).toEqual(fromCsv.header);
      expect(fromXlsx.table).toEqual([['indicator', 'value'], ...expected.map(([name, value]) => [name, value])]);
    });

    it('exports a breakdown and a series the same way', async () => {
      const breakdownPath = `/api/v1/stats/breakdown?scope=county:${COUNTY}&by=school&indicator=carerLoad&asOf=${AS_OF}`;
      const breakdown = await ok('county.edu', breakdownPath);
      const rowsOf = (body: Json, format: (value: unknown) => unknown) =>
        [...(body.rows as Json[]), { ...(body.total as Json), name: 'total' }].map((row) => [
          row.unit,
          row.name,
          format(row.townshipId ?? null),
          ...leavesOf(row.value, 'carerLoad').map(([, value]) => format(value)),
        ]);
      const columns = ['unit', 'name', 'townshipId', 'carerLoad.carers', 'carerLoad.mean', 'carerLoad.max', 'carerLoad.overLimit'];
      const csv = split(csvRows((await file('county.edu', `${breakdownPath}&format=csv`)).body));
      expect(csv.header).toMatchObject({ scope: `county:${COUNTY}`, indicator: 'carerLoad', by: 'school', suppressed: 'true' });
      expect(csv.table).toEqual([columns, ...rowsOf(breakdown, asCsv)]);
      const xlsx = split(await xlsxRows((await file('county.edu', `${breakdownPath}&format=xlsx`)).body));
      expect(xlsx.table).toEqual([columns, ...rowsOf(breakdown, asXlsx)]);

      const seriesPath = `/api/v1/stats/series?scope=township:dongcheng&indicator=childrenInCare&months=3&asOf=2025-10-31`;
      const series = await ok('county.edu', seriesPath);
      const seriesCsv = await file('county.edu', `${seriesPath}&format=csv`);
      expect(seriesCsv.disposition).toBe('attachment; filename="stats-series-childrenInCare-township_dongcheng-2025-10-31.csv"');
      expect(split(csvRows(seriesCsv.body)).table).toEqual([
        ['asOf', 'from', 'childrenInCare'],
        ...(series.points as { asOf: string; from: string; value: unknown }[]).map((p) => [p.asOf, p.from, asCsv(p.value)]),
      ]);
    });
  });

  describe('validation', () => {
    const refused = async (path: string) => (await get('admin', path).expect(400)).body as Json;
    const s = `scope=county:${COUNTY}`;

    it.each([
      [`/api/v1/stats?${s}&asOf=0000-01-01`, 'invalid-value', 'query.asOf'],
      [`/api/v1/stats?${s}&asOf=2025-02-30`, 'invalid-value', 'query.asOf'],
      [`/api/v1/stats?${s}&asOf=2025-10-01%00`, 'invalid-value', 'query.asOf'],
      [`/api/v1/stats?${s}&asOf=2025-10-01&asOf=2025-10-02`, 'invalid-value', 'query.asOf'],
      [`/api/v1/stats?${s}&from=2025-02-29`, 'invalid-value', 'query.from'],
      [`/api/v1/stats?${s}&recordedBy=0000-01-01T00:00:00Z`, 'invalid-value', 'query.recordedBy'],
      [`/api/v1/stats?${s}&recordedBy=yesterday`, 'invalid-value', 'query.recordedBy'],
      [`/api/v1/stats?${s}&format=pdf`, 'invalid-value', 'query.format'],
      [`/api/v1/stats?${s}&unknown=1`, 'unknown-field', 'query.unknown'],
      [`/api/v1/stats?${s}&indicator=childrenInCare`, 'unknown-field', 'query.indicator'],
      ['/api/v1/stats', 'missing-field', 'query.scope'],
      ['/api/v1/stats?scope=county', 'invalid-value', 'query.scope'],
      ['/api/v1/stats?scope=region:x', 'invalid-value', 'query.scope'],
      ['/api/v1/stats?scope=county:wang%00cang', 'invalid-value', 'query.scope'],
      ['/api/v1/stats?scope=county:wang%20cang', 'invalid-value', 'query.scope'],
      [`/api/v1/stats/series?${s}`, 'missing-field', 'query.indicator'],
      [`/api/v1/stats/series?${s}&indicator=carerLoad.mean`, 'invalid-value', 'query.indicator'],
      [`/api/v1/stats/series?${s}&indicator=toString`, 'invalid-value', 'query.indicator'],
      [`/api/v1/stats/series?${s}&indicator=aid&months=0`, 'invalid-value', 'query.months'],
      [`/api/v1/stats/series?${s}&indicator=aid&months=61`, 'invalid-value', 'query.months'],
      [`/api/v1/stats/series?${s}&indicator=aid&months=1.5`, 'invalid-value', 'query.months'],
      [`/api/v1/stats/breakdown?${s}&indicator=aid`, 'missing-field', 'query.by'],
      [`/api/v1/stats/breakdown?${s}&indicator=aid&by=district`, 'invalid-value', 'query.by'],
      [`/api/v1/stats/breakdown?scope=school:${SCHOOL_A}&indicator=aid&by=school`, 'invalid-value', 'query.scope'],
      [`/api/v1/stats/breakdown?${s}&by=school&indicator=aid&months=3`, 'unknown-field', 'query.months'],
      [`/api/v1/read-models/children-in-care?${s}&asOf=2025-02-30`, 'invalid-value', 'query.asOf'],
      [`/api/v1/read-models/children-in-care?${s}&asOf=0000-01-01`, 'invalid-value', 'query.asOf'],
      [`/api/v1/read-models/children-in-care?${s}&format=csv`, 'unknown-field', 'query.format'],
    ])('%s → 400 %s naming %s', async (path, code, field) => {
      const body = await refused(path);
      expect(body).toMatchObject({ status: 400, code, field, type: `urn:lbc:problem:${code}` });
      if (code !== 'unknown-field') expect(body.detail).toEqual(expect.stringContaining(field));
    });

    // Each parameter here matches its documented schema; only a rule between them is broken.
    it.each([
      [`/api/v1/stats?${s}&asOf=2025-10-01&from=2025-10-02`, 'query.from'],
      [`/api/v1/stats/series?${s}&indicator=aid&months=3&asOf=2025-10-31&from=2025-09-01`, 'query.from'],
      [`/api/v1/stats/series?scope=county:${COUNTY}&indicator=childrenInCare&months=12&asOf=1900-01-01&from=1900-01-01`, 'query.from'],
      [`/api/v1/stats/breakdown?${s}&indicator=aid&by=school&asOf=2025-10-01&from=2025-10-02`, 'query.from'],
      [`/api/v1/stats/breakdown?scope=township:dongcheng&indicator=aid&by=township`, 'query.by'],
    ])('%s → 422 invalid-value naming %s', async (path, field) => {
      const response = await get('admin', path).expect(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 422, code: 'invalid-value', field, type: 'urn:lbc:problem:invalid-value' });
      expect((response.body as Json).detail).toEqual(expect.stringContaining(field));
    });
  });

  describe('OpenAPI', () => {
    let document: Json;
    beforeAll(async () => {
      document = (await t.http.get('/api/docs-json').expect(200)).body as Json;
    });
    const operation = (path: string) => (document.paths as Record<string, Record<string, Json>>)[path].get;
    const jsonSchema = (path: string) => ((operation(path).responses as Record<string, Json>)['200'].content as Record<string, { schema: SchemaObject }>)['application/json'].schema;

    it('documents every read endpoint: unique operation ids, every parameter, every status, the three formats', () => {
      const expected: Record<string, string[]> = {
        '/api/v1/stats': ['scope', 'asOf', 'from', 'recordedBy', 'format'],
        '/api/v1/stats/series': ['scope', 'asOf', 'from', 'recordedBy', 'format', 'indicator', 'months'],
        '/api/v1/stats/breakdown': ['scope', 'asOf', 'from', 'recordedBy', 'format', 'by', 'indicator'],
        '/api/v1/read-models/children-in-care': ['scope', 'asOf', 'recordedBy'],
      };
      for (const [path, parameters] of Object.entries(expected)) {
        const get = operation(path);
        expect((get.parameters as { name: string }[]).map((p) => p.name).sort()).toEqual([...parameters].sort());
        const statuses = path.startsWith('/api/v1/stats') ? ['400', '401', '403', '404', '422'] : ['400', '401', '403', '404'];
        expect(Object.keys(get.responses as Json).sort()).toEqual(['200', ...statuses]);
        for (const status of statuses) expect(Object.keys(((get.responses as Record<string, Json>)[status].content as Json) ?? {})).toEqual(['application/problem+json']);
      }
      for (const path of ['/api/v1/stats', '/api/v1/stats/series', '/api/v1/stats/breakdown']) {
        expect(Object.keys((operation(path).responses as Record<string, Json>)['200'].content as Json)).toEqual([
          'application/json',
          'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ]);
      }
      const ids = Object.values(document.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((methods) => Object.values(methods).flatMap((m) => m.operationId ?? []));
      for (const id of ['getStatistics', 'getStatisticsSeries', 'getStatisticsBreakdown', 'getChildrenInCare', 'listSchoolChildren', 'getSchoolWorklist']) {
        expect({ id, operations: ids.filter((other) => other === id).length }).toEqual({ id, operations: 1 });
      }
      expect((operation('/api/v1/stats/series').parameters as { name: string; schema: Json }[]).find((p) => p.name === 'indicator')?.schema.enum).toEqual(INDICATOR_KEYS);
      const scopeOf = (path: string) => new RegExp((operation(path).parameters as { name: string; schema: { pattern: string } }[]).find((p) => p.name === 'scope')?.schema.pattern ?? '(?!)');
      expect(['county:x', 'township:x', 'school:x'].map((scope) => scopeOf('/api/v1/stats/breakdown').test(scope))).toEqual([true, true, false]);
      expect(['county:x', 'township:x', 'school:x', 'region:x'].map((scope) => scopeOf('/api/v1/stats').test(scope))).toEqual([true, true, true, false]);
    });

    it('describes exactly what the endpoints answer, suppressed or not', async () => {
      const answers: [string, string, string][] = [
        ['/api/v1/stats', 'county.edu', `scope=school:${SCHOOL_B}&asOf=${AS_OF}`],
        ['/api/v1/stats', 'admin', `scope=county:${COUNTY}&asOf=${AS_OF}&recordedBy=2025-12-01T00:00:00Z`],
        ['/api/v1/stats', 'admin', `scope=county:${COUNTY}&recordedBy=1900-01-01T00:00Z`],
        ['/api/v1/stats/series', 'admin', `scope=county:${COUNTY}&indicator=aid&months=2&asOf=${AS_OF}&recordedBy=2025-12-01T00:00Z`],
        ['/api/v1/stats/breakdown', 'admin', `scope=county:${COUNTY}&by=school&indicator=aid&recordedBy=1900-01-01T00:00Z`],
        ['/api/v1/read-models/children-in-care', 'admin', `scope=county:${COUNTY}&asOf=${AS_OF}&recordedBy=2025-12-01T00:00-05:30`],
        ['/api/v1/stats/series', 'county.edu', `scope=school:${SCHOOL_A}&indicator=carerLoad&months=3&asOf=${AS_OF}`],
        ['/api/v1/stats/series', 'auditor', `scope=school:${SCHOOL_B}&indicator=aid&months=2&asOf=${AS_OF}`],
        ['/api/v1/stats/breakdown', 'county.edu', `scope=county:${COUNTY}&by=school&indicator=incidents&asOf=${AS_OF}`],
        ['/api/v1/stats/breakdown', 'county.edu', `scope=county:${COUNTY}&by=township&indicator=guardianshipByType&asOf=${AS_OF}`],
        ['/api/v1/read-models/children-in-care', 'county.edu', `scope=school:${SCHOOL_A}&asOf=${AS_OF}`],
      ];
      for (const [path, username, query] of answers) {
        expect({ path, query, errors: schemaErrors(jsonSchema(path), await ok(username, `${path}?${query}`)) }).toEqual({ path, query, errors: [] });
      }
      expect(schemaErrors(jsonSchema('/api/v1/stats'), { scope: 'county:x' })).not.toEqual([]);
    });
  });
});
