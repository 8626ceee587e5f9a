import type { IngestTestApp } from '../testing/ingest-test-app';
import { SCHOOL_A, SCHOOL_B, startIngestTestApp } from '../testing/ingest-test-app';
import { rosterCsv as csv, rosterRows, rosterXlsx as xlsx, rowsOfEveryTable, XLSX_TYPE } from '../testing/roster-files';

const GOOD_ROWS = [
  ['1', '张小明', '男', '2016.03', '三年级', '3班', '留守儿童', '张爷爷', '祖父', '13811112222', '东城镇石板村3组', '张大山', '广东东莞', '广东东莞', 'G510821201603010011'],
  ['2', '李小红', '女', '2015年11月', '4', '1班', '留守儿童', '李阿姨', '姑姑', '13933334444', '东城镇河坝村', '', '浙江宁波', '', ''],
  ['3', '陈一', '男', '2014-07', '五年级', '2班', '单亲', '陈妈妈', '母亲', '13755556666', '', '', '', '', 'G510821201407070033'],
];

describe('POST /api/v1/schools/:schoolId/roster (花名册)', () => {
  let t: IngestTestApp;
  let staffA: string;
  beforeAll(async () => {
    t = await startIngestTestApp();
    staffA = await t.token('staff.a');
  });
  afterAll(() => t.close());

  const upload = (body: Buffer, query = '', contentType = 'text/csv', schoolId = SCHOOL_A, token = staffA) =>
    t.http.post(`/api/v1/schools/${schoolId}/roster${query}`).set('authorization', `Bearer ${token}`).set('content-type', contentType).send(body);

  it('dry run: reports each bad row with row number, column header and code, and writes nothing', async () => {
    const before = await t.allEvents();
    const bad = [...GOOD_ROWS, ['4', '王五', '未知', '2015-13', '十三年级', '1班', '留守儿童', '王奶奶', '祖母', '', '', '', '四川成都', '', ''], ['5', '赵六', '女', '2016-01', '2', '2班', '留守儿童', '赵爷爷', '', '13800000000', '', '', '四川成都', '', '']];
    const response = await upload(csv(bad), '?dryRun=true').expect(200);
    expect(response.body).toMatchObject({ dryRun: true, rows: 5, registered: 3, existing: 0 });
    expect(response.body.errors).toEqual([
      { row: 5, column: '年级', code: 'invalid-value', message: expect.any(String) },
      { row: 5, column: '性别', code: 'invalid-value', message: expect.any(String) },
      { row: 5, column: '出生年月', code: 'invalid-value', message: expect.any(String) },
      { row: 6, column: '监护类型', code: 'missing-value', message: expect.any(String) },
    ]);
    const unknownColumn = await upload(Buffer.from('姓名,性别,出生年月,年级,班级,身份证号\n张三,男,2015-01,3,1班,5108\n'), '?dryRun=true').expect(200);
    expect(unknownColumn.body.errors).toEqual([{ row: 1, column: '身份证号', code: 'unknown-column', message: expect.any(String) }]);
    expect(await t.allEvents()).toEqual(before);
  });

  it('answers a readable file without a roster in it (empty, or no header row) with 422 empty-roster, dry run or not, and writes nothing', async () => {
    const before = await t.allEvents();
    for (const [body, query] of [[Buffer.alloc(0), ''], [Buffer.alloc(0), '?dryRun=true'], [Buffer.from('\n'), '']] as const) {
      const response = await upload(body, query).expect(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 422, code: 'empty-roster' });
    }
    expect(await t.allEvents()).toEqual(before);
  });

  it('refuses a real run with errors (422, nothing written), and a roster of another school (403)', async () => {
    const before = await t.allEvents();
    const response = await upload(csv([...GOOD_ROWS, ['4', '王五', '男', '2015-01', '3', '1班', '留守儿童', '', '', '', '', '', '', '', '']])).expect(422);
    expect(response.body).toMatchObject({ code: 'roster-rejected', status: 422 });
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ row: 5, column: '父亲务工地', code: 'missing-value' })]));
    await upload(csv(GOOD_ROWS), '', 'text/csv', SCHOOL_B).expect(403);
    expect(await t.allEvents()).toEqual(before);
  });

  it('imports a CSV with progress, mapping Chinese headers to the archive, and a re-import writes nothing new', async () => {
    const response = await upload(csv(GOOD_ROWS)).expect(200);
    expect(response.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = response.text.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.at(-1)).toMatchObject({ phase: 'done', rows: 3, done: 3, registered: 3, existing: 0, errors: [] });
    const count = (await t.allEvents()).length;

    const children = (await t.allEvents()).filter((event) => event.type === 'ChildRegistered');
    const zhang = children.find((event) => event.data['className'] === '3班');
    expect(zhang?.data).toMatchObject({ schoolId: SCHOOL_A, grade: 3, gender: 'male', birthMonth: '2016-03', category: 'left-behind', parentsAway: 'both', guardianType: 'grandparent' });
    expect(await t.vault.open(zhang?.streamId.slice('child-'.length) ?? '', zhang?.data['personal'])).toEqual({
      name: '张小明',
      homeAddress: '东城镇石板村3组',
      guardian: { name: '张爷爷', relation: '祖父', phone: '13811112222' },
      parents: [
        { relation: 'father', name: '张大山', workCity: '广东东莞' },
        { relation: 'mother', workCity: '广东东莞' },
      ],
    });
    expect(children.find((event) => event.data['className'] === '1班')?.data).toMatchObject({ parentsAway: 'father', guardianType: 'relative' });
    expect(children.find((event) => event.data['className'] === '2班')?.data).toMatchObject({ category: 'single-parent', parentsAway: 'none', guardianType: 'parent-at-home' });

    const again = await upload(csv(GOOD_ROWS)).expect(200);
    expect(JSON.parse(again.text.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ phase: 'done', registered: 0, existing: 3 });
    expect(await t.allEvents()).toHaveLength(count);
  });

  it('imports the same roster as XLSX: the same children, so nothing new', async () => {
    const count = (await t.allEvents()).length;
    const file = await xlsx(GOOD_ROWS);
    const dry = await upload(file, '?dryRun=true', XLSX_TYPE).expect(200);
    expect(dry.body).toMatchObject({ rows: 3, registered: 0, existing: 3, errors: [] });
    const more = await xlsx([...GOOD_ROWS, ['4', '刘四', '女', '2017-09', '二年级', '2班', '留守儿童', '刘奶奶', '奶奶', '13600001111', '', '', '', '江苏苏州', '']]);
    const response = await upload(more, '', XLSX_TYPE).expect(200);
    expect(JSON.parse(response.text.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ registered: 1, existing: 3 });
    expect(await t.allEvents()).toHaveLength(count + 1);
  });

  it('a dry run writes nothing anywhere: no event, no data key, no row in any table', async () => {
    const before = await rowsOfEveryTable(t.readModels);
    expect(Object.keys(before)).toEqual(expect.arrayContaining([expect.stringMatching(/\.personal_data_keys$/), expect.stringMatching(/\.events$/)]));
    const fromCsv = await upload(csv(rosterRows(40)), '?dryRun=true').expect(200);
    expect(fromCsv.body).toMatchObject({ rows: 40, registered: 40, existing: 0, errors: [] });
    const fromXlsx = await upload(await xlsx(rosterRows(40)), '?dryRun=true', XLSX_TYPE).expect(200);
    expect(fromXlsx.body).toMatchObject({ rows: 40, registered: 40, existing: 0, errors: [] });
    expect(await rowsOfEveryTable(t.readModels)).toEqual(before);
  });

  it('a NUL in one cell of 301 rows: the dry run names row and column, and the real run refuses the whole file (422, nothing written)', async () => {
    const rows = rosterRows(301);
    rows[150][5] = '3\u0000班';
    const file = csv(rows);
    const before = await rowsOfEveryTable(t.readModels);
    const dry = await upload(file, '?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ rows: 301, registered: 300, existing: 0 });
    expect(dry.body.errors).toEqual([{ row: 152, column: '班级', code: 'invalid-character', message: expect.stringContaining('NUL') }]);
    const real = await upload(file).expect(422);
    expect(real.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(real.body).toMatchObject({ code: 'roster-rejected', status: 422, errors: dry.body.errors });
    expect(await rowsOfEveryTable(t.readModels)).toEqual(before);
  });

  it('NULs and lone surrogates of an XLSX (written _x0000_, _xD800_) are row errors in the dry run and the real run alike', async () => {
    const rows = rosterRows(4);
    rows[0][1] = '张_xD800_三';
    rows[2][10] = '石板村_x0000_';
    rows[3][12] = '_xDC00_东莞';
    const file = await xlsx(rows);
    const before = await rowsOfEveryTable(t.readModels);
    const dry = await upload(file, '?dryRun=true', XLSX_TYPE).expect(200);
    expect(dry.body).toMatchObject({ rows: 4, registered: 1 });
    expect(dry.body.errors).toEqual([
      { row: 2, column: '姓名', code: 'invalid-character', message: expect.stringContaining('surrogate') },
      { row: 4, column: '家庭住址', code: 'invalid-character', message: expect.stringContaining('NUL') },
      { row: 5, column: '父亲务工地', code: 'invalid-character', message: expect.stringContaining('surrogate') },
    ]);
    const real = await upload(file, '', XLSX_TYPE).expect(422);
    expect(real.body.errors).toEqual(dry.body.errors);
    expect(await rowsOfEveryTable(t.readModels)).toEqual(before);
  });
});
