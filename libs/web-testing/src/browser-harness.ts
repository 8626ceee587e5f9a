import chromium from '@sparticuz/chromium';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium as playwright } from 'playwright-core';
import { childRegistered } from '@lbc/ingest/testing';
import { expectEventually, spawnApp } from '@lbc/testing';

const ROOT = join(__dirname, '..', '..', '..');

/** Builds the dashboard when its build is missing or stale, as `npm start` does first. */
export function ensureDashboardBuilt(): void {
  execFileSync(process.execPath, ['apps/web/tools/ensure-built.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

/** A generated demo county is recorded before the platform listens: minutes for thousands of children on a busy machine. */
const DEMO_SEED_PATIENCE_MS = 15 * 60_000;

export interface RunningPlatform {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * `npm start`'s entry point as a child: demo mode on an embedded PostgreSQL of its own. The tests
 * bring their own children (`seedCounty`) to the demo schools: `demoChildren` 0, the demo schools
 * and accounts only, unless a caller wants a generated demo county of that many children.
 */
export async function startPlatform({ demoChildren = 0 }: { demoChildren?: number } = {}): Promise<RunningPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lbc-web-'));
  // Embedded PostgreSQL runs as a user of its own, which must reach the folder.
  chmodSync(dataDir, 0o755);
  const platform = spawnApp('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', DEMO_CHILDREN: String(demoChildren) });
  const url = await platform.listening('Platform', demoChildren === 0 ? undefined : DEMO_SEED_PATIENCE_MS);
  return {
    url,
    async stop() {
      platform.process.kill('SIGTERM');
      await platform.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Account {
  readonly accessToken: string;
  readonly user: { readonly id: string; readonly role: string; readonly countyId: string; readonly schoolId?: string };
}

export async function signIn(url: string, username: string): Promise<Account> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
  if (response.status !== 200) throw new Error(`login of ${username}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Account;
}

export async function apiGet<T>(url: string, account: Account, path: string): Promise<T> {
  const response = await fetch(`${url}/api/v1/${path}`, { headers: { authorization: `Bearer ${account.accessToken}` } });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The demo county's schools by code, each in a township of its own. */
export type SchoolIds = Readonly<Record<'xinhua' | 'baishui' | 'mumen', string>>;

/** Today in county time (Asia/Shanghai), `YYYY-MM-DD`. */
export function countyToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** The county date `days` before today. */
export function daysAgo(days: number): string {
  return new Date(Date.parse(`${countyToday()}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Children seeded before this many days, and 3 more after: an as-of date of `SEEDED_BEFORE_DAYS` ago shows 15 of 18. */
export const SEEDED_BEFORE_DAYS = 30;

/**
 * Children for the dashboard to show, through the API as the platform admin, dated back from
 * today so that the period figures (the school year up to today) count them: 新华小学 6 two months
 * ago and 3 more ten days ago, 白水镇中心小学 2 (fewer than 5: suppressed), 木门镇初级中学 7; a
 * teacher paired with three 新华 children, a youth-league volunteer with one 木门 child, a talk,
 * aid, a care home with an activity. Waits until the read models show every child.
 */
export async function seedCounty(url: string): Promise<SchoolIds> {
  const admin = await signIn(url, 'admin');
  const schools = Object.fromEntries(
    await Promise.all((['xinhua', 'baishui', 'mumen'] as const).map(async (code) => [code, (await signIn(url, `school.${code}.staff`)).user.schoolId as string])),
  ) as Record<keyof SchoolIds, string>;
  const events: Record<string, unknown>[] = [];
  // Half of them with a complete archive (address, and a parent with phone and work city).
  const child = (schoolId: string, occurredAt: string, complete: boolean) => {
    const childId = randomUUID();
    const parents = complete ? { parents: [{ relation: 'father', phone: '13900000000', workCity: '广州' }] } : {};
    events.push(childRegistered(childId, schoolId, { personal: { name: '李小明', guardian: { name: '李奶奶', relation: '祖母', phone: '13800000000' }, ...(complete ? { homeAddress: '木门镇三村' } : {}), ...parents } }, occurredAt));
    return childId;
  };
  const xinhua = Array.from({ length: 6 }, (_, i) => child(schools.xinhua, daysAgo(60), i % 2 === 0));
  for (let i = 0; i < 3; i++) child(schools.xinhua, daysAgo(10), true);
  for (let i = 0; i < 2; i++) child(schools.baishui, daysAgo(60), true);
  const mumen = Array.from({ length: 7 }, (_, i) => child(schools.mumen, daysAgo(60), i < 5));
  const teacher = randomUUID();
  const volunteer = randomUUID();
  events.push(
    { type: 'CarerRegistered', carerId: teacher, occurredAt: daysAgo(59), data: { schoolId: schools.xinhua, organisation: 'school', role: 'head-teacher', partyMember: true, personal: { name: '张老师' } } },
    { type: 'CarerRegistered', carerId: volunteer, occurredAt: daysAgo(59), data: { organisation: 'youth-league', role: 'volunteer', partyMember: false, personal: { name: '王志愿' } } },
    ...xinhua.slice(0, 3).map((childId) => ({ type: 'PairingStarted', childId, occurredAt: daysAgo(58), data: { pairingId: randomUUID(), carerId: teacher, role: 'head-teacher' } })),
    { type: 'PairingStarted', childId: mumen[0], occurredAt: daysAgo(58), data: { pairingId: randomUUID(), carerId: volunteer, role: 'volunteer' } },
    { type: 'CareActivityRecorded', childId: xinhua[0], occurredAt: `${daysAgo(5)}T16:00:00+08:00`, data: { activityId: randomUUID(), kind: 'aid', carerId: teacher, amountYuan: 500 } },
    { type: 'CareActivityRecorded', childId: mumen[0], occurredAt: `${daysAgo(2)}T16:00:00+08:00`, data: { activityId: randomUUID(), kind: 'talk', carerId: volunteer, minutes: 30 } },
    { type: 'CareHomeOpened', schoolId: schools.mumen, occurredAt: daysAgo(45), data: { homeId: 'mumen-home', name: '木门镇留守儿童之家', facilities: ['books', 'family-phone'] } },
    { type: 'CareHomeActivityHeld', schoolId: schools.mumen, occurredAt: daysAgo(3), data: { homeId: 'mumen-home', title: '读书会', participants: 12 } },
  );
  const response = await fetch(`${url}/api/v1/events?atomic=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(events.map((event) => ({ eventId: randomUUID(), ...event }))),
  });
  const answer = (await response.json()) as { rejected: number; results: readonly { status: string }[] };
  if (response.status !== 200 || answer.rejected !== 0) throw new Error(`seed refused: ${response.status} ${JSON.stringify(answer.results?.filter((result) => result.status !== 'accepted') ?? answer)}`);
  await expectEventually(
    async () => {
      const county = await apiGet<{ indicators: { childrenInCare: number; careHomes: { activities: number } } }>(url, admin, `stats?scope=county:${admin.user.countyId}`);
      if (county.indicators.childrenInCare !== 18 || county.indicators.careHomes.activities !== 1) throw new Error(`read models not caught up: ${JSON.stringify(county.indicators)}`);
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  return schools;
}

/** Chromium from @sparticuz/chromium (in the npm package, unpacked on first use), headless. */
export async function launchBrowser(): Promise<Browser> {
  // With --single-process, closing one page closes the whole browser.
  const args = chromium.args.filter((arg) => arg !== '--single-process');
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}

/** Every console error, missing label and failed or refused request of a page, as text. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    // vue-i18n warns of a label missing from the catalogue.
    if (message.type() === 'warning' && /\bnot found\b/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A GET the page itself dropped when it moved on (a new view's data) failed nothing.
    if (request.method() === 'GET' && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

/** Signs in through the page's own form and waits for the tiles (a school's, behind its workspace's tab). */
export async function signInOnPage(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', 'demo1234');
  await page.click('button[type=submit]');
  if (username.startsWith('school.')) await page.click('[data-nav=dashboard]');
  await page.waitForSelector('.tile .value');
}
