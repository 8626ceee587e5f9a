import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Account, RunningPlatform, SchoolIds } from '@lbc/web-testing';
import { apiGet, ensureDashboardBuilt, launchBrowser, seedCounty, signIn, startPlatform, watchProblems } from '@lbc/web-testing';

const SCREENSHOTS = join(__dirname, '..', '..', '..', 'tmp', 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

interface AccessEntry {
  readonly subject: string;
  readonly reason: string;
  readonly userId: string;
  readonly fields: readonly string[];
}

describe('the auditor’s pages, in a real browser', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let schools: SchoolIds;
  let auditor: Account;
  let childId: string;

  beforeAll(async () => {
    ensureDashboardBuilt();
    platform = await startPlatform();
    schools = await seedCounty(platform.url);
    auditor = await signIn(platform.url, 'auditor');
    const admin = await signIn(platform.url, 'admin');
    const page = await apiGet<{ items: { childId: string }[] }>(platform.url, admin, `schools/${schools.xinhua}/children?limit=1`);
    childId = page.items[0].childId;
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function signedInPage(username: string, ready: string, viewport = DESKTOP): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(platform.url);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', 'demo1234');
    await page.click('button[type=submit]');
    await page.waitForSelector(ready);
    return { page, problems };
  }
  const auditorPage = (viewport = DESKTOP) => signedInPage('auditor', '[data-tab=history]', viewport);

  /** The history tab, a stream opened for a stated reason, its timeline shown. */
  async function openHistory(page: Page, streamId: string, reason: string): Promise<void> {
    await page.click('[data-tab=history]');
    await page.fill('input[name=streamId]', streamId);
    await page.fill('input[name=reason]', reason);
    await page.click('button.primary');
    await page.waitForSelector('[data-testid=history] .timeline li');
  }

  it('opens a child’s history for a stated reason, with its personal data, and the read appears in the access log', async () => {
    const { page, problems } = await auditorPage();
    await openHistory(page, `child-${childId}`, '2026年度专项审计');
    expect(await page.textContent('[data-testid=chain]')).toContain('完整');
    const timeline = await page.textContent('[data-testid=history]');
    expect(timeline).toContain('建档');
    expect(timeline).toContain('李小明');
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-history-desktop.png'), fullPage: true });

    const log = await apiGet<{ entries: AccessEntry[] }>(platform.url, auditor, 'audit/access-log');
    expect(log.entries[0]).toMatchObject({ subject: `child-${childId}`, reason: '2026年度专项审计', userId: auditor.user.id });
    await page.click('[data-tab=accessLog]');
    await page.waitForSelector('[data-testid=access-log] tbody tr');
    expect(await page.textContent('[data-testid=access-log]')).toContain('2026年度专项审计');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('filters the history by the recording school, and prints the history alone', async () => {
    const { page, problems } = await auditorPage();
    await openHistory(page, `child-${childId}`, '按学校核查');
    const events = () => page.locator('[data-testid=history] .timeline li').count();
    const all = await events();
    // The child was recorded by its school only: another school recorded none of its events.
    await page.fill('input[name=schoolId]', schools.mumen);
    await page.click('button.primary');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history] .timeline li').length === 0);
    await page.fill('input[name=schoolId]', schools.xinhua);
    await page.click('button.primary');
    await page.waitForSelector('[data-testid=history] .timeline li');
    expect(await events()).toBe(all);

    await page.emulateMedia({ media: 'print' });
    for (const screenOnly of ['nav.tabs', 'form.controls', '[data-testid=print]']) expect({ screenOnly, visible: await page.isVisible(screenOnly) }).toEqual({ screenOnly, visible: false });
    expect(await page.isVisible('[data-testid=history] .timeline li')).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-history-print.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows an erased child’s personal data as erased on the history page', async () => {
    const admin = await signIn(platform.url, 'admin');
    const { items } = await apiGet<{ items: { childId: string; name: string }[] }>(platform.url, admin, `schools/${schools.xinhua}/children?limit=2`);
    const [erased] = items.filter((item) => item.childId !== childId);
    const erasure = await fetch(`${platform.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: crypto.randomUUID(), type: 'PersonalDataErased', childId: erased.childId, occurredAt: new Date().toISOString(), data: { reason: '监护人申请删除' } }),
    });
    expect(erasure.status).toBe(201);
    const { page, problems } = await auditorPage();
    await openHistory(page, `child-${erased.childId}`, '删除后核查');
    const history = await page.textContent('[data-testid=history]');
    expect(history).toContain('个人信息已删除');
    expect(history).not.toContain(erased.name);
    const personal = await page.locator('[data-testid=history] .personal dd').allTextContents();
    expect(personal.length).toBeGreaterThan(0);
    expect(new Set(personal)).toEqual(new Set(['已删除']));
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows an erased carer as erased in the school’s list of carers', async () => {
    const admin = await signIn(platform.url, 'admin');
    const { items } = await apiGet<{ items: { carerId: string; name: string }[] }>(platform.url, admin, `schools/${schools.xinhua}/carers?limit=1`);
    const [carer] = items;
    const erasure = await fetch(`${platform.url}/api/v1/carers/${carer.carerId}/erasure`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '本人申请删除' }),
    });
    expect(erasure.status).toBe(201);
    const { page, problems } = await signedInPage('school.xinhua.staff', '.workspace', PHONE);
    await page.goto(`${platform.url}/#/more`);
    const row = page.locator(`[data-carer="${carer.carerId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('个人信息已删除');
    expect(await row.textContent()).not.toContain(carer.name);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('verifies the record, signs and exports a tree head that the next verification accepts', async () => {
    const { page, problems } = await auditorPage();
    await page.click('[data-tab=treeHeads]');
    await page.waitForSelector('[data-testid=verifier-key]');
    await page.click('text=立即签名');
    await page.waitForSelector('[data-testid=tree-heads] tbody tr');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=tree-heads] tbody tr:first-child button')]);
    const note = readFileSync(await download.path(), 'utf8');
    expect(note).toMatch(/^left-behind-care\n\d+\n[A-Za-z0-9+/]{43}=\ntime /);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-tree-heads-desktop.png'), fullPage: true });

    const kept = join(tmpdir(), `tree-head-${Date.now()}.txt`);
    writeFileSync(kept, note);
    await page.click('[data-tab=verify]');
    await page.setInputFiles('input[type=file]', kept);
    await page.click('button.primary');
    await page.waitForSelector('[data-testid=verify-verdict]');
    expect(await page.textContent('[data-testid=verify-verdict]')).toContain('校验通过');
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-verify-desktop.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('checks a submitted CSV report against the record at submission', async () => {
    const edu = await signIn(platform.url, 'county.edu');
    const csv = await fetch(`${platform.url}/api/v1/stats?scope=county:${edu.user.countyId}&format=csv`, { headers: { authorization: `Bearer ${edu.accessToken}` } });
    const file = join(tmpdir(), `report-${Date.now()}.csv`);
    writeFileSync(file, Buffer.from(await csv.arrayBuffer()));
    const { page, problems } = await auditorPage(PHONE);
    await page.click('[data-tab=reportCheck]');
    await page.setInputFiles('input[name=report]', file);
    // Submitted a minute from now, in the page's local time: the record then is the record now.
    const soon = new Date(Date.now() + 60_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    await page.fill('input[name=submittedAt]', soon);
    await page.click('button.primary');
    await page.waitForSelector('[data-testid=report-check] tbody tr');
    const childrenInCare = page.locator('[data-figure=childrenInCare]');
    expect(await childrenInCare.getAttribute('data-verdict')).toBe('as-recorded');
    expect(await page.locator('[data-verdict=differs]').count()).toBe(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-report-check-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
