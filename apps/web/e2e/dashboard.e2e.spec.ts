import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectEventually } from '@lbc/testing';
import type { Account, RunningPlatform, SchoolIds } from '@lbc/web-testing';
import { apiGet, countyToday, daysAgo, ensureDashboardBuilt, SEEDED_BEFORE_DAYS, launchBrowser, seedCounty, signIn, signInOnPage, startPlatform, watchProblems } from '@lbc/web-testing';

type Value = number | string | null | { readonly [key: string]: Value };
interface Stats {
  readonly dataAsOf: string;
  readonly indicators: Record<string, Value>;
}
interface Breakdown {
  readonly dataAsOf: string;
  readonly rows: readonly { unit: string; name: string; value: Value }[];
  readonly total: { unit: string; value: Value };
}

const SCREENSHOTS = join(__dirname, '..', '..', '..', 'tmp', 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

/** The figure at `careCadence.talk7d` of an indicators object. */
function at(indicators: Record<string, Value>, path: string): Value {
  return path.split('.').reduce<Value>((value, key) => (value !== null && typeof value === 'object' ? value[key] : null), indicators as Value);
}

/**
 * How the page must print an API value, written out here rather than taken from the app: `*`
 * as is, no value as `—`, a share as a percentage with one decimal, a count as the number.
 */
function printed(value: Value, share: boolean): string {
  if (value === '*') return '*';
  if (typeof value !== 'number') return '—';
  return share ? `${(value * 100).toFixed(1)}%` : String(value);
}

const SHARES = /Rate|Coverage|Share|Completeness|careCadence|familyContact|withinDeadline|pairedShare/;
const isShare = (figure: string) => SHARES.test(figure);

/** The same day a month earlier, or that month's last day (03-31 → 02-28 or 02-29), written out here. */
function monthBefore(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const last = new Date(Date.UTC(year, month - 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 2, Math.min(day, last))).toISOString().slice(0, 10);
}

/** How a tile must print its change: a count signed, a share in percentage points with one decimal; `—` without both values. */
function printedChange(now: Value, before: Value, share: boolean): string {
  if (typeof now !== 'number' || typeof before !== 'number') return '较上月 —';
  const delta = share ? Math.round((now - before) * 1000) / 10 : now - before;
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  return `较上月 ${sign}${share ? `${Math.abs(delta).toFixed(1)} 个百分点` : Math.abs(delta)}`;
}

/** A dataAsOf instant as the page stamps it: county time (UTC+8), to the minute. */
const stampOf = (dataAsOf: string) => new Date(Date.parse(dataAsOf) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

async function tilesOf(page: Page): Promise<Record<string, string>> {
  return page.$$eval('.tile', (tiles) => Object.fromEntries(tiles.map((tile) => [(tile as HTMLElement).dataset.figure, tile.querySelector('.value')?.textContent?.trim() ?? ''])));
}

/** The table's cells: unit → figure → text. */
async function tableOf(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.$$eval('[data-testid=breakdown] tbody tr, [data-testid=breakdown] tfoot tr', (rows) =>
    Object.fromEntries(
      rows.map((row) => [
        (row as HTMLElement).dataset.unit,
        Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [(cell as HTMLElement).dataset.figure, cell.textContent?.trim() ?? ''])),
      ]),
    ),
  );
}

/** The API's table for the same scope and date, as the page must print it. */
async function expectedTable(url: string, account: Account, scope: string, asOf: string, by: string, figures: readonly string[]): Promise<Record<string, Record<string, string>>> {
  const table: Record<string, Record<string, string>> = {};
  for (const figure of figures) {
    const [indicator, ...path] = figure.split('.');
    const answer = await apiGet<Breakdown>(url, account, `stats/breakdown?scope=${scope}&asOf=${asOf}&indicator=${indicator}&by=${by}`);
    for (const row of [...answer.rows, { ...answer.total, unit: 'total' }]) {
      const value = path.length === 0 ? row.value : at({ v: row.value }, ['v', ...path].join('.'));
      (table[row.unit] ??= {})[figure] = printed(value, isShare(figure));
    }
  }
  return table;
}

async function expectTilesEqualApi(page: Page, url: string, account: Account, scope: string, asOf: string, from?: string): Promise<Stats> {
  const stats = await apiGet<Stats>(url, account, `stats?scope=${scope}&asOf=${asOf}${from === undefined ? '' : `&from=${from}`}`);
  const tiles = await tilesOf(page);
  expect(Object.keys(tiles).length).toBeGreaterThanOrEqual(8);
  expect(tiles).toEqual(Object.fromEntries(Object.keys(tiles).map((figure) => [figure, printed(at(stats.indicators, figure), isShare(figure))])));
  return stats;
}

/** Every tile's change equals the API's figure now less the API's figure a month earlier, and every tile is stamped with dataAsOf. */
async function expectChangesEqualApi(page: Page, url: string, account: Account, scope: string, asOf: string): Promise<void> {
  const [now, before] = await Promise.all([asOf, monthBefore(asOf)].map((date) => apiGet<Stats>(url, account, `stats?scope=${scope}&asOf=${date}`)));
  const shown = await page.$$eval('.tile', (tiles) =>
    Object.fromEntries(tiles.map((tile) => [(tile as HTMLElement).dataset.figure, [tile.querySelector('.change')?.textContent?.trim(), tile.querySelector('.stamp')?.textContent?.trim()]])),
  );
  expect(shown).toEqual(
    Object.fromEntries(Object.keys(shown).map((figure) => [figure, [printedChange(at(now.indicators, figure), at(before.indicators, figure), isShare(figure)), `数据截至 ${stampOf(now.dataAsOf)}`]])),
  );
}

/** A printed cell as a number to order by, or null for `*` and `—`. */
function numberIn(text: string): number | null {
  const number = Number(text.replace(/[%,]/g, ''));
  return text === '' || Number.isNaN(number) ? null : number;
}

/**
 * Sorts the table by each of its columns, largest first and then smallest first: the numbers in
 * order, `*` and `—` after them, and the rows still the API's (only their order changes).
 */
async function expectSortableByEveryColumn(page: Page): Promise<void> {
  const before = await tableOf(page);
  for (const figure of await columnsOf(page)) {
    for (const direction of ['descending', 'ascending'] as const) {
      await page.click(`thead th[data-figure="${figure}"] button`);
      expect(await page.getAttribute(`thead th[data-figure="${figure}"]`, 'aria-sort')).toBe(direction);
      const cells = await page.$$eval(`[data-testid=breakdown] tbody tr td[data-figure="${figure}"]`, (tds) => tds.map((cell) => cell.textContent?.trim() ?? ''));
      const numbers = cells.map(numberIn);
      const shown = numbers.filter((number): number is number => number !== null);
      expect({ figure, direction, numbers }).toEqual({ figure, direction, numbers: [...[...shown].sort((a, b) => (direction === 'descending' ? b - a : a - b)), ...numbers.filter((number) => number === null)] });
    }
  }
  expect(await tableOf(page)).toEqual(before);
}

/**
 * Draws the trend of every figure the picker offers: the chart's aria description reads the API's
 * points of that figure, and its stamp the series' dataAsOf.
 */
async function expectEveryTrendEqualsApi(page: Page, url: string, account: Account, scope: string, asOf: string): Promise<string[]> {
  const options = await page.$$eval('select[name=seriesIndicator] option', (all) => all.map((option) => [option.textContent?.trim() ?? '', (option as HTMLElement).dataset.figure ?? '']));
  for (const [label, figure] of options) {
    const [indicator, ...path] = figure.split('.');
    await page.selectOption('select[name=seriesIndicator]', { label });
    await page.waitForFunction((name) => document.querySelector('[data-testid=trend-chart]')?.getAttribute('aria-label')?.includes(`${name}月度趋势图`), label);
    const series = await apiGet<{ dataAsOf: string; points: { asOf: string; value: Value }[] }>(url, account, `stats/series?scope=${scope}&asOf=${asOf}&indicator=${indicator}&months=12`);
    const description = (await page.getByTestId('trend-chart').getAttribute('aria-label')) ?? '';
    const expected = series.points.map((point) => `${point.asOf} ${printed(path.length === 0 ? point.value : at({ v: point.value }, ['v', ...path].join('.')), isShare(figure))}`);
    expect({ figure, points: description.slice(description.indexOf(':') + 1).trim().split('; ') }).toEqual({ figure, points: expected });
    expect(await page.locator('.trend [data-testid=data-as-of]').textContent()).toBe(`数据截至 ${stampOf(series.dataAsOf)}`);
  }
  return options.map(([, figure]) => figure);
}

async function columnsOf(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid=breakdown] thead th[data-figure]', (cells) => cells.map((cell) => (cell as HTMLElement).dataset.figure ?? ''));
}

/** Nothing wider than the viewport, but for what sits in a sideways-scrolling table. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter((element) => !element.closest('.table-scroll') && element.getBoundingClientRect().right > width + 0.5);
    return [...wide.map((element) => `${element.tagName}.${element.getAttribute('class') ?? ''}`), ...(document.documentElement.scrollWidth > width ? [`page ${document.documentElement.scrollWidth}px`] : [])];
  });
}

/**
 * Text whose contrast with the background behind it is under WCAG AA's 4.5:1 (computed colours,
 * the background the nearest ancestor paints).
 */
async function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (colour: string) => (colour.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const [R, G, B] = [r, g, b].map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const background = (element: Element | null): number[] => {
      for (let at = element; at !== null; at = at.parentElement) {
        const colour = rgb(getComputedStyle(at).backgroundColor);
        if (colour.length === 3 || colour[3] > 0) return colour.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const texts = [...document.querySelectorAll('body *')].filter((element) => [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim()));
    return texts.flatMap((element) => {
      const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      return ratio < 4.5 ? [`${element.tagName} "${element.textContent?.trim().slice(0, 20)}" ${ratio.toFixed(2)}:1`] : [];
    });
  });
}

/** The first worksheet's rows, every cell as text. */
async function rowsOfXlsx(body: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (cell) => (cell === null || cell === undefined ? '' : String(cell)))));
  return rows;
}

/** Presses Tab until the element the selector names has the focus (it must be in the tab order, within 80 steps). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let step = 0; step < 80; step++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
  }
  throw new Error(`${selector} is not reached by Tab`);
}

/** Reloads once every request of the page is answered (a reload aborts those in flight), then waits for the table. */
async function settledReload(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.reload();
  await page.waitForSelector('[data-testid=breakdown] tbody tr');
}

/**
 * The chart follows its box on the next resize observation, and redraws what it holds after its
 * box: waits for both (a chart that never fits times out here).
 */
async function chartFits(page: Page, width: number): Promise<void> {
  await page.waitForFunction((right) => {
    const svg = document.querySelector('[data-testid=trend-chart] svg');
    return svg !== null && [svg, ...svg.querySelectorAll('*')].every((element) => element.getBoundingClientRect().right <= right + 0.5);
  }, width);
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForSelector('[data-testid=trend-chart]:not([data-points="0"]) svg');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('the bureaus’ dashboard in a real browser', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let schools: SchoolIds;
  let edu: Account;
  let countyScope: string;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let today: string;

  beforeAll(async () => {
    ensureDashboardBuilt();
    [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
    schools = await seedCounty(platform.url);
    edu = await signIn(platform.url, 'county.edu');
    countyScope = `county:${edu.user.countyId}`;
    today = countyToday();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true, locale: 'zh-CN' });
    page = await context.newPage();
    problems = watchProblems(page);
  });

  afterEach(async () => {
    await context?.close();
    // No console error and no failed or refused request on any page.
    expect(problems).toEqual([]);
  });

  it('serves the page at / and leaves /api, /health and /metrics to the server', async () => {
    const page = await fetch(`${platform.url}/some/deep/link`, { headers: { accept: 'text/html' } });
    expect({ status: page.status, cache: page.headers.get('cache-control') }).toEqual({ status: 200, cache: 'no-cache' });
    expect(await page.text()).toContain('<div id="app">');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await (await fetch(platform.url)).text())?.[1];
    expect((await fetch(`${platform.url}${asset}`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of ['/api/v1/nothing', '/api', '/health/nothing', '/assets/missing.js']) {
      const response = await fetch(`${platform.url}${path}`, { headers: { accept: 'text/html' } });
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({ path, status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
    }
    expect((await fetch(`${platform.url}/health`)).status).toBe(200);
  });

  it('county.edu: every tile and every table cell shows the API’s figure; small cells and their partners read *', async () => {
    await signInOnPage(page, platform.url, 'county.edu');
    await page.waitForSelector('[data-testid=breakdown]');
    const stats = await expectTilesEqualApi(page, platform.url, edu, countyScope, today);
    expect(await lowContrast(page)).toEqual([]);
    // dataAsOf in county time (UTC+8), to the minute.
    expect(await page.locator('.tile .stamp').first().textContent()).toBe(`数据截至 ${stampOf(stats.dataAsOf)}`);
    expect(await page.locator('.tile .stamp').count()).toBe(await page.locator('.tile').count());
    expect(stats.indicators.childrenInCare).toBe(18);
    // 3 of the 18 came ten days ago: a month earlier there were 15.
    expect(await page.locator('.tile[data-figure=childrenInCare] .change').textContent()).toBe('较上月 +3');
    await expectChangesEqualApi(page, platform.url, edu, countyScope, today);
    // Issue 16's headline tiles, every one of them.
    expect(Object.keys(await tilesOf(page))).toEqual([
      'childrenInCare',
      'pupilShare',
      'archiveCompleteness',
      'pairingCoverage',
      'careCadence.talk7d',
      'careCadence.contact30d',
      'careCadence.homeVisit92d',
      'careCadence.aidSemester',
      'careCadence.parentMeeting365d',
      'dropoutRate',
      'retentionRate',
      'returnedAfterDropout',
      'healthCheckRate',
      'keyAssistance.children',
      'keyAssistance.pairedShare',
      'incidents.withinDeadline.guardian',
      'incidents.withinDeadline.parents',
      'incidents.withinDeadline.educationBureau',
      'incidents.withinDeadline.townshipGovernment',
      'incidents.open',
    ]);
    expect(await page.getByTestId('current-scope').textContent()).toBe('全县');

    const columns = await columnsOf(page);
    // Every headline figure is a column (so sortable by unit), and every indicator exportable by unit, 五个一 among them.
    expect(columns).toEqual(expect.arrayContaining(Object.keys(await tilesOf(page))));
    expect(await page.$$eval('select[name=exportIndicator] option', (options) => options.map((option) => option.textContent?.trim()))).toEqual(expect.arrayContaining(['五个一', '巩固率', '劝返人数', '重点帮扶对象', '突发事件']));
    const expected = await expectedTable(platform.url, edu, countyScope, today, 'township', columns);
    expect(await tableOf(page)).toEqual(expected);
    // 白水镇 has 2 children: `*`, its share no value; and the API hides one more township with it.
    expect(expected['township:baishui']).toMatchObject({ childrenInCare: '*', pupilShare: '—' });
    const hidden = Object.entries(expected).filter(([, cells]) => cells.childrenInCare === '*').map(([unit]) => unit);
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    // The township hidden with it (7 children, no share either: its count is suppressed).
    for (const unit of hidden) expect(expected[unit]).toMatchObject({ childrenInCare: '*', leftBehindChildren: '*', pupilShare: '—', archiveCompleteness: '—' });
    expect(await page.getByTestId('legend').textContent()).toBe('* 表示少于5，或为防止推算出小数而隐藏');
    expect(await page.locator('.breakdown [data-testid=data-as-of]').textContent()).toMatch(/^数据截至 /);

    // Drill down to 白水镇's schools and back; the school itself is `*` too.
    await page.click('[data-unit="township:baishui"] th button');
    await page.waitForSelector('[data-testid=breakdown][data-by=school]');
    expect(await page.getByTestId('current-scope').getAttribute('data-scope')).toBe('township:baishui');
    await expectTilesEqualApi(page, platform.url, edu, 'township:baishui', today);
    const township = await expectedTable(platform.url, edu, 'township:baishui', today, 'school', columns);
    expect(await tableOf(page)).toEqual(township);
    expect(township[`school:${schools.baishui}`]).toMatchObject({ childrenInCare: '*', pupilShare: '—' });
    await page.click(`[data-unit="school:${schools.baishui}"] th button`);
    await page.waitForFunction((scope) => document.querySelector('[data-testid=current-scope]')?.getAttribute('data-scope') === scope, `school:${schools.baishui}`);
    await page.waitForFunction(() => document.querySelector('[data-testid=breakdown]') === null);
    await page.getByRole('button', { name: /返回上一级/ }).click();
    await page.getByRole('button', { name: /返回上一级/ }).click();
    await page.waitForSelector('[data-testid=breakdown][data-by=township]');

    await expectSortableByEveryColumn(page);
    // Sorting by children in care, largest first: the suppressed townships go last.
    await page.click('thead th[data-figure=childrenInCare] button');
    expect(await page.getAttribute('thead th[data-figure=childrenInCare]', 'aria-sort')).toBe('descending');
    const order = await page.$$eval('[data-testid=breakdown] tbody tr td[data-figure=childrenInCare]', (cells) => cells.map((cell) => cell.textContent?.trim()));
    expect(order.slice(-hidden.length)).toEqual(hidden.map(() => '*'));
    await screenshot(page, 'education-desktop');
  });

  it('changing the as-of date brings the tiles and the table to the API’s figures for that date', async () => {
    const earlier = daysAgo(SEEDED_BEFORE_DAYS);
    await signInOnPage(page, platform.url, 'county.edu');
    await page.fill('input[name=asOf]', earlier);
    await page.click('form.controls button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.tile[data-figure=childrenInCare] .value')?.textContent?.trim() === '15');
    await expectTilesEqualApi(page, platform.url, edu, countyScope, earlier);
    await expectChangesEqualApi(page, platform.url, edu, countyScope, earlier);
    await page.waitForSelector('[data-testid=breakdown]');
    const expected = await expectedTable(platform.url, edu, countyScope, earlier, 'township', await columnsOf(page));
    await expectEventually(async () => expect(await tableOf(page)).toEqual(expected));
  });

  it('labels every tile and column from the catalogue, in Chinese by default; English is one switch away and kept across a reload', async () => {
    await signInOnPage(page, platform.url, 'county.edu');
    await page.waitForSelector('[data-testid=breakdown]');
    const labels = () => page.$$eval('.tile h3, [data-testid=breakdown] thead th', (cells) => cells.map((cell) => cell.textContent?.trim() ?? ''));
    const chinese = await labels();
    // As the county's reports write them (seeds): 建档率, 五个一 and its 一周一谈心 … 一年一团圆, 重点帮扶对象.
    expect(chinese).toEqual(
      expect.arrayContaining([
        '建档率',
        '结对率',
        '五个一 · 一周一谈心',
        '五个一 · 一月一电话',
        '五个一 · 一季一探望',
        '五个一 · 一学期一慰问',
        '五个一 · 一年一团圆',
        '辍学率',
        '巩固率',
        '劝返人数',
        '体检率',
        '重点帮扶对象',
      ]),
    );
    expect(chinese.filter((label) => !/[\u4e00-\u9fff]/.test(label))).toEqual([]);
    await page.getByTestId('language').click();
    await page.waitForSelector('text=Headline figures');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await settledReload(page);
    expect(await page.locator('h2').first().textContent()).toBe('Headline figures');
    expect(await page.locator('.tile .stamp').first().textContent()).toMatch(/^Data as of /);
    expect(await page.getByTestId('legend').textContent()).toBe('* fewer than 5, or hidden so that a small count cannot be worked out');
    const english = await labels();
    expect(english).toContain('Archive completeness (建档率)');
    expect(english.filter((label) => !/[A-Za-z]/.test(label))).toEqual([]);
    expect(await lowContrast(page)).toEqual([]);
    await screenshot(page, 'education-desktop-en');
    // On a phone, opened afresh (a full-page capture of a table that turned narrow under it leaves its sticky column unpainted).
    await page.setViewportSize(PHONE);
    await settledReload(page);
    await chartFits(page, PHONE.width);
    expect(await overflowing(page)).toEqual([]);
    await screenshot(page, 'education-phone-en');
    await page.getByTestId('language').click();
    await settledReload(page);
    expect(await labels()).toEqual(chinese);
  });

  it('exports the table and the trend as CSV and XLSX from the page: the files hold the API’s figures, dataAsOf and the legend', async () => {
    await signInOnPage(page, platform.url, 'county.edu');
    await page.waitForSelector('[data-testid=breakdown]');
    await page.waitForSelector('[data-testid=trend-chart] svg');
    const api = await apiGet<Breakdown>(platform.url, edu, `stats/breakdown?scope=${countyScope}&asOf=${today}&indicator=childrenInCare&by=township`);
    const expectedRows = [...api.rows.map((row) => [row.unit, row.name, String(row.value)]), [countyScope, 'total', String(api.total.value)]];
    const save = async (selector: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      return { name: download.suggestedFilename(), body: readFileSync(await download.path()) };
    };

    const csv = await save('.breakdown [data-export=csv]');
    const fromApi = await fetch(`${platform.url}/api/v1/stats/breakdown?scope=${countyScope}&asOf=${today}&indicator=childrenInCare&by=township&format=csv`, { headers: { authorization: `Bearer ${edu.accessToken}` } });
    expect(`attachment; filename="${csv.name}"`).toBe(fromApi.headers.get('content-disposition'));
    const lines = parse(csv.body.toString('utf8').replace(/^\uFEFF/, ''), { relaxColumnCount: true, skipEmptyLines: true }) as string[][];
    const header = Object.fromEntries(lines.filter((line) => line.length === 2).map(([key, value]) => [key, value]));
    expect(header).toMatchObject({ scope: countyScope, asOf: today, dataAsOf: api.dataAsOf, suppressed: 'true', legend: expect.stringContaining('少于5') });
    const columnsAt = lines.findIndex((line) => line[0] === 'unit');
    expect(lines.slice(columnsAt + 1).map((line) => line.slice(0, 2).concat(line[3]))).toEqual(expectedRows);

    const xlsx = await save('.breakdown [data-export=xlsx]');
    expect(xlsx.name).toBe(csv.name.replace(/\.csv$/, '.xlsx'));
    const sheet = await rowsOfXlsx(xlsx.body);
    expect(sheet.find((row) => row[0] === 'dataAsOf')?.[1]).toBe(api.dataAsOf);
    const sheetColumnsAt = sheet.findIndex((row) => row[0] === 'unit');
    expect(sheet.slice(sheetColumnsAt + 1).map((row) => row.slice(0, 2).concat(row[3]))).toEqual(expectedRows);

    // The trend of 建档率 over 6 months, as the page draws it.
    await page.selectOption('select[name=seriesIndicator]', { label: '建档率' });
    await page.selectOption('select[name=months]', '6');
    await page.waitForFunction(() => document.querySelector('[data-testid=trend-chart]')?.getAttribute('aria-label')?.includes('建档率'));
    const series = await apiGet<{ dataAsOf: string; points: { asOf: string; value: Value }[] }>(platform.url, edu, `stats/series?scope=${countyScope}&asOf=${today}&indicator=archiveCompleteness&months=6`);
    const trendCsv = await save('.trend [data-export=csv]');
    const trendLines = parse(trendCsv.body.toString('utf8').replace(/^\uFEFF/, ''), { relaxColumnCount: true, skipEmptyLines: true }) as string[][];
    const trendColumnsAt = trendLines.findIndex((line) => line[0] === 'asOf' && line[1] === 'from');
    expect(Object.fromEntries(trendLines.filter((line) => line.length === 2).map(([key, value]) => [key, value]))).toMatchObject({ scope: countyScope, asOf: today, dataAsOf: series.dataAsOf });
    const expectedPoints = series.points.map((point) => [point.asOf, point.value === null ? '' : String(point.value)]);
    expect(trendLines.slice(trendColumnsAt + 1).map((line) => [line[0], line[2]])).toEqual(expectedPoints);
    const trendXlsx = await save('.trend [data-export=xlsx]');
    expect(trendXlsx.name).toBe(trendCsv.name.replace(/\.csv$/, '.xlsx'));
    const trendSheet = await rowsOfXlsx(trendXlsx.body);
    const trendSheetColumnsAt = trendSheet.findIndex((row) => row[0] === 'asOf' && row[1] === 'from');
    expect(trendSheet.slice(trendSheetColumnsAt + 1).map((row) => [row[0], row[2] ?? ''])).toEqual(expectedPoints);
    // The chart's aria description reads every point.
    const description = (await page.getByTestId('trend-chart').getAttribute('aria-label')) ?? '';
    for (const point of series.points) expect(description).toContain(`${point.asOf} ${printed(point.value, true)}`);
  });

  it('draws the monthly trend of every figure of the education view as the API’s series, stamped with its dataAsOf', async () => {
    await signInOnPage(page, platform.url, 'county.edu');
    await page.waitForSelector('[data-testid=trend-chart]:not([data-points="0"]) svg');
    const figures = await expectEveryTrendEqualsApi(page, platform.url, edu, countyScope, today);
    expect(figures).toEqual(expect.arrayContaining(['childrenInCare', 'careCadence.parentMeeting365d', 'keyAssistance.pairedShare', 'incidents.withinDeadline.townshipGovernment', 'incidents.open']));
  });

  it('county.league: the youth-league view, its tiles and table equal to the API', async () => {
    const league = await signIn(platform.url, 'county.league');
    await signInOnPage(page, platform.url, 'county.league');
    await page.waitForSelector('[data-testid=breakdown]');
    expect(await page.getAttribute('.dashboard', 'data-view')).toBe('league');
    expect(await page.locator('.tabs button').count()).toBe(0);
    const stats = await expectTilesEqualApi(page, platform.url, league, countyScope, today);
    expect(at(stats.indicators, 'careHomes.homes')).toBe(1);
    expect(Object.keys(await tilesOf(page))).toEqual(expect.arrayContaining(['careHomes.homes', 'volunteers.active', 'aid.personTimes', 'aid.yuan']));
    const columns = await columnsOf(page);
    expect(await tableOf(page)).toEqual(await expectedTable(platform.url, league, countyScope, today, 'township', columns));
    await expectChangesEqualApi(page, platform.url, league, countyScope, today);
    expect(await lowContrast(page)).toEqual([]);
    // One export per indicator: a group of figures is named as the group.
    expect(await page.$$eval('select[name=exportIndicator] option', (options) => options.map((option) => option.textContent?.trim()))).toEqual(['留守儿童之家', '志愿服务', '资助']);
    await expectSortableByEveryColumn(page);
    await screenshot(page, 'league-desktop');
    // Its monthly trends, every figure.
    expect(await expectEveryTrendEqualsApi(page, platform.url, league, countyScope, today)).toEqual(columns);

    // By school: 木门镇's schools, and back to the county.
    await page.click('[data-unit="township:mumen"] th button');
    await page.waitForSelector('[data-testid=breakdown][data-by=school]');
    await expectTilesEqualApi(page, platform.url, league, 'township:mumen', today);
    expect(await tableOf(page)).toEqual(await expectedTable(platform.url, league, 'township:mumen', today, 'school', columns));
    expect(await expectEveryTrendEqualsApi(page, platform.url, league, 'township:mumen', today)).toEqual(columns);
    await page.getByRole('button', { name: /返回上一级/ }).click();
    await page.waitForSelector('[data-testid=breakdown][data-by=township]');

    // The period from 4 days ago: the care-home activity of 3 days ago counts, the aid of 5 days ago not.
    await page.fill('input[name=from]', daysAgo(4));
    await page.click('form.controls button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.tile[data-figure="aid.personTimes"] .value')?.textContent?.trim() === '0');
    const period = await expectTilesEqualApi(page, platform.url, league, countyScope, today, daysAgo(4));
    expect([at(period.indicators, 'careHomes.activities'), at(period.indicators, 'aid.personTimes')]).toEqual([1, 0]);
    await page.setViewportSize(PHONE);
    await chartFits(page, PHONE.width);
    expect(await overflowing(page)).toEqual([]);
    await screenshot(page, 'league-phone');
  });

  it('a school role sees its own school, unsuppressed, and nothing of the others', async () => {
    const staff = await signIn(platform.url, 'school.baishui.staff');
    await signInOnPage(page, platform.url, 'school.baishui.staff');
    expect(await page.getByTestId('current-scope').getAttribute('data-scope')).toBe(`school:${schools.baishui}`);
    expect(await page.getByTestId('current-scope').textContent()).toBe('本校');
    // 2 children: exact for the school itself, where a county role sees `*`.
    const stats = await expectTilesEqualApi(page, platform.url, staff, `school:${schools.baishui}`, today);
    expect(stats.indicators.childrenInCare).toBe(2);
    expect(await page.locator('.tile[data-figure=childrenInCare] .value').textContent()).toBe('2');
    expect(await page.locator('[data-testid=breakdown]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/东城镇|木门镇|新华/);
    await page.click('[data-tab=league]');
    await page.waitForSelector('.tile[data-figure="careHomes.homes"]');
    await expectTilesEqualApi(page, platform.url, staff, `school:${schools.baishui}`, today);
    await screenshot(page, 'school-desktop');
  });

  it('an auditor picks any scope of its county and reads it unsuppressed', async () => {
    const auditor = await signIn(platform.url, 'auditor');
    await signInOnPage(page, platform.url, 'auditor');
    await page.waitForSelector('[data-testid=breakdown]');
    expect((await tableOf(page))['township:baishui'].childrenInCare).toBe('2');
    // Unsuppressed, every township has its numbers (2, 9 and 7 children): each column's order shows.
    await expectSortableByEveryColumn(page);
    await page.fill('input[name=scope]', 'township:mumen');
    await page.click('form.controls button[type=submit]');
    await page.waitForSelector('[data-testid=breakdown][data-by=school]');
    await expectTilesEqualApi(page, platform.url, auditor, 'township:mumen', today);
    expect(await tableOf(page)).toEqual(await expectedTable(platform.url, auditor, 'township:mumen', today, 'school', await columnsOf(page)));
  });

  it('the auditor and the platform admin are offered every township and school of the county by name, and see the one they pick unsuppressed', async () => {
    const units = (
      await Promise.all(['township', 'school'].map((by) => apiGet<Breakdown>(platform.url, edu, `stats/breakdown?scope=${countyScope}&asOf=${today}&indicator=childrenInCare&by=${by}`)))
    ).flatMap((answer) => answer.rows.map((row) => [row.unit, row.name]));
    expect(units.length).toBeGreaterThanOrEqual(6);
    for (const username of ['auditor', 'admin']) {
      const account = await signIn(platform.url, username);
      await signInOnPage(page, platform.url, username);
      expect(await page.getByTestId('current-scope').textContent()).toBe('全县');
      await expectEventually(async () =>
        expect(await page.$$eval('#known-scopes option', (options) => options.map((option) => [(option as HTMLOptionElement).value, option.textContent?.trim()]))).toEqual([
          [countyScope, '全县'],
          ...units,
        ]),
      );
      await page.fill('input[name=scope]', `school:${schools.baishui}`);
      await page.click('form.controls button[type=submit]');
      await page.waitForFunction((scope) => document.querySelector('[data-testid=current-scope]')?.getAttribute('data-scope') === scope, `school:${schools.baishui}`);
      expect(await page.getByTestId('current-scope').textContent()).toBe(units.find(([unit]) => unit === `school:${schools.baishui}`)?.[1]);
      await page.waitForFunction(() => document.querySelector('.tile[data-figure=childrenInCare] .value')?.textContent?.trim() === '2');
      await expectTilesEqualApi(page, platform.url, account, `school:${schools.baishui}`, today);
      await screenshot(page, `${username}-desktop`);
      await page.click('button:has-text("退出")');
    }
  });

  it('at 375 × 812 nothing but the tables scrolls sideways; the controls work by keyboard', async () => {
    await page.setViewportSize(PHONE);
    await signInOnPage(page, platform.url, 'county.edu');
    await page.waitForSelector('[data-testid=breakdown]');
    await page.waitForSelector('[data-testid=trend-chart] svg');
    expect(await overflowing(page)).toEqual([]);
    expect(await page.$eval('.table-scroll', (element) => element.scrollWidth > element.clientWidth)).toBe(true);
    expect(await lowContrast(page)).toEqual([]);
    // Scrolled sideways to its last column, the table still names each row's unit.
    await page.$eval('.table-scroll', (element) => element.scrollTo({ left: element.scrollWidth }));
    const [scroller, name] = await Promise.all([page.$eval('.table-scroll', (element) => element.getBoundingClientRect().left), page.$eval('[data-testid=breakdown] tbody th', (cell) => cell.getBoundingClientRect().left)]);
    expect(name).toBeGreaterThanOrEqual(scroller - 0.5);
    await page.$eval('.table-scroll', (element) => element.scrollTo({ left: 0 }));
    await screenshot(page, 'education-phone');

    // Keyboard only, from the top of the page: Tab to a column and sort it, to a township and
    // drill down, to the county and back, to the trend's indicator and change it.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, 'thead th[data-figure=archiveCompleteness] button');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('thead th[data-figure=archiveCompleteness]', 'aria-sort')).toBe('descending');
    await tabTo(page, '[data-testid=breakdown] tbody tr:first-child th button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=breakdown][data-by=school]');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, '.crumbs li:first-child button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=breakdown][data-by=township]');
    await tabTo(page, 'select[name=seriesIndicator]');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('[data-testid=trend-chart]')?.getAttribute('aria-label')?.startsWith('留守儿童数月度趋势图'));

    const school = await browser.newContext({ viewport: PHONE });
    const schoolPage = await school.newPage();
    const schoolProblems = watchProblems(schoolPage);
    await signInOnPage(schoolPage, platform.url, 'school.xinhua.admin');
    await schoolPage.waitForSelector('[data-testid=trend-chart] svg');
    expect(await overflowing(schoolPage)).toEqual([]);
    await screenshot(schoolPage, 'school-phone');
    await school.close();
    expect(schoolProblems).toEqual([]);
  });
});

