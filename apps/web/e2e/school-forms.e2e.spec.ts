import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectEventually } from '@lbc/testing';
import type { Account, RunningPlatform } from '@lbc/web-testing';
import { apiGet, ensureDashboardBuilt, launchBrowser, phonePage, signIn, startPlatform } from '@lbc/web-testing';

/** Phone screenshots of every page and form, to be looked at (issue 12). */
const SHOTS = '/tmp/school-shots';
/** What each stream check tells the access log. */
const REASON = encodeURIComponent('浏览器测试：核对表单写入的事件');

interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** Where a form is opened: a path of the app, then what to click there (a link carrying the context's ids). */
interface Step {
  readonly form: string;
  readonly open: (ids: Ids) => readonly [hash: string, link?: string];
  /** The inputs by name and what to enter (a select's option, `true` for a checkbox). */
  readonly fill: Readonly<Record<string, string | true>>;
  /** The stream the event lands in, and what its `data` must hold. */
  readonly stream: (ids: Ids) => string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Tried first: what the API refuses (some the form already does), shown at its field with its code, nothing written. */
  readonly refuse?: { readonly fill: Readonly<Record<string, string>>; readonly field: string; readonly code: string };
}

interface Ids {
  childId: string;
  carerId: string;
  schoolId: string;
}

const child = (form: string, link = `a[data-form=${form}]`) => (ids: Ids) => [`#/children/${ids.childId}`, link] as const;
const school = (form: string) => () => ['#/more', `.more a[data-form=${form}]`] as const;
const childStream = (ids: Ids) => `child-${ids.childId}`;
const schoolStream = (ids: Ids) => `school-${ids.schoolId}`;

/**
 * Every form of the workspace once, in an order where each finds what it needs (a carer to pair,
 * an activity to void, an incident to notify of), each opened where a teacher finds it.
 */
const STEPS: readonly Step[] = [
  { form: 'startPairing', open: child('startPairing'), fill: { role: 'head-teacher' }, stream: childStream, type: 'PairingStarted', data: { role: 'head-teacher' } },
  {
    form: 'recordActivity',
    open: child('recordActivity'),
    refuse: { fill: { kind: 'talk', minutes: '1.5' }, field: 'minutes', code: 'invalid-value' },
    fill: { kind: 'aid', minutes: '30', amountYuan: '200', items: '书包', 'personal.notes': '送书包' }, stream: childStream, type: 'CareActivityRecorded', data: { kind: 'aid', minutes: 30, amountYuan: 200, items: '书包' },
  },
  { form: 'voidActivity', open: child('voidActivity', '[data-testid=timeline] li[data-type=CareActivityRecorded] a'), fill: { reason: '重复录入' }, stream: childStream, type: 'CareActivityVoided', data: { reason: '重复录入' } },
  { form: 'reportIncident', open: child('reportIncident'), fill: { kind: 'illness', severity: 'low', 'personal.description': '发烧' }, stream: childStream, type: 'IncidentReported', data: { kind: 'illness', severity: 'low' } },
  { form: 'notifyIncidentParty', open: child('notifyIncidentParty', '[data-testid=incidents] [data-party=parents] a'), fill: {}, stream: childStream, type: 'IncidentPartyNotified', data: { party: 'parents' } },
  { form: 'resolveIncident', open: child('resolveIncident', '[data-testid=incidents] a[href*=resolveIncident]'), fill: { outcome: '已就医' }, stream: childStream, type: 'IncidentResolved', data: { outcome: '已就医' } },
  { form: 'flagRisk', open: child('flagRisk'), fill: { flag: 'academic' }, stream: childStream, type: 'RiskFlagged', data: { flag: 'academic' } },
  {
    form: 'clearRisk',
    open: child('clearRisk', 'a[href*=clearRisk]'),
    refuse: { fill: { flag: 'safety' }, field: 'flag', code: 'risk-not-open' },
    fill: { flag: 'academic' },
    stream: childStream,
    type: 'RiskCleared',
    data: { flag: 'academic' },
  },
  { form: 'updateArchive', open: child('updateArchive'), fill: { grade: '4', className: '4(2)班' }, stream: childStream, type: 'ArchiveUpdated', data: { grade: 4, className: '4(2)班' } },
  {
    form: 'changeGuardianship',
    open: child('changeGuardianship'),
    refuse: { fill: { guardianType: 'relative', 'personal.guardian.relation': '舅舅' }, field: 'personal.guardian.name', code: 'missing-field' },
    fill: { guardianType: 'relative', 'personal.guardian.name': '王舅舅', 'personal.guardian.relation': '舅舅' },
    stream: childStream,
    type: 'GuardianshipChanged',
    data: { guardianType: 'relative' },
  },
  { form: 'endPairing', open: child('endPairing', '[data-testid=pairings] a'), fill: { reason: '老师调动' }, stream: childStream, type: 'PairingEnded', data: { reason: '老师调动' } },
  {
    form: 'changeEnrollment',
    open: child('changeEnrollment'),
    refuse: { fill: { change: 'returned' }, field: 'change', code: 'invalid-enrollment-change' },
    fill: { change: 'promoted' },
    stream: childStream,
    type: 'EnrollmentChanged',
    data: { change: 'promoted' },
  },
  { form: 'endLeftBehindStatus', open: child('endLeftBehindStatus'), fill: { reason: 'parents-returned' }, stream: childStream, type: 'LeftBehindStatusEnded', data: { reason: 'parents-returned' } },
  { form: 'resumeLeftBehindStatus', open: child('resumeLeftBehindStatus'), fill: { parentsAway: 'father' }, stream: childStream, type: 'LeftBehindStatusResumed', data: { parentsAway: 'father' } },
  { form: 'openCareHome', open: school('openCareHome'), fill: { name: '表单小学之家', facilities: 'books' }, stream: schoolStream, type: 'CareHomeOpened', data: { name: '表单小学之家', facilities: ['books'] } },
  { form: 'holdCareHomeActivity', open: () => ['#/more', '[data-testid=care-homes] li a'], fill: { title: '读书会', participants: '9' }, stream: schoolStream, type: 'CareHomeActivityHeld', data: { title: '读书会', participants: 9 } },
  {
    form: 'reportEnrollment',
    open: school('reportEnrollment'),
    refuse: { fill: { term: '2026秋', totalPupils: '320' }, field: 'term', code: 'invalid-value' },
    fill: { term: '2026-fall', totalPupils: '320' }, stream: schoolStream, type: 'EnrollmentReported',
    data: { term: '2026-fall', totalPupils: 320 },
  },
  { form: 'retireCarer', open: (ids) => ['#/more', `[data-testid=carers] [data-carer="${ids.carerId}"] a`], fill: { reason: '调离本校' }, stream: (ids) => `carer-${ids.carerId}`, type: 'CarerRetired', data: { reason: '调离本校' } },
];

describe('every form of the school workspace, in the browser (issue 12)', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let admin: Account;
  let staff: Account;

  const streamOf = async (streamId: string) => (await apiGet<{ events: StoredEvent[] }>(platform.url, admin, `audit/streams/${streamId}?reason=${REASON}`)).events;
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

  async function fill(form: string, values: Readonly<Record<string, string | true>>): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      const input = page.locator(`form[data-form=${form}] [name="${name}"]`);
      const tag = await input.first().evaluate((element) => `${element.tagName}:${element.getAttribute('type') ?? ''}`);
      if (tag.startsWith('SELECT')) await input.selectOption(String(value));
      else if (tag === 'INPUT:checkbox') await page.check(`form[data-form=${form}] [name="${name}"]${value === true ? '' : `[value="${value}"]`}`);
      else await input.fill(String(value));
    }
  }

  /** Saves the open form and waits until the page has gone back from it; a refusal fails with its words. */
  async function save(form: string): Promise<void> {
    await page.click(`form[data-form=${form}] button[type=submit]`);
    await page.waitForSelector(`form[data-form=${form}] .error, .workspace:not(:has(form[data-form=${form}]))`);
    const refused = await page.locator(`form[data-form=${form}] .error`).allTextContents();
    expect({ form, refused }).toEqual({ form, refused: [] });
    await page.waitForSelector('[data-testid=notice]');
  }

  async function open(hash: string, link?: string): Promise<void> {
    await page.goto(`${platform.url}/${hash}`);
    if (link === undefined) return;
    // The file and the registers load after the page: the link appears once they have.
    await expectEventually(async () => {
      if ((await page.locator(link).count()) === 0) {
        await page.reload();
        await page.waitForSelector(link, { timeout: 3000 });
      }
    });
    await page.click(link);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureDashboardBuilt();
    platform = await startPlatform();
    admin = await signIn(platform.url, 'admin');
    staff = await signIn(platform.url, 'school.mumen.staff');
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => Promise.all([browser?.close(), platform?.stop()]));
  beforeEach(async () => {
    ({ context, page, problems } = await phonePage(browser));
    await page.goto(platform.url);
    await page.fill('input[name=username]', 'school.mumen.staff');
    await page.fill('input[name=password]', 'demo1234');
    await page.click('button[type=submit]');
    await page.waitForSelector('.workspace[data-view=worklist] h2');
  });
  afterEach(async () => {
    await context.close();
  });

  it('fills and saves each of the 20 forms where a teacher finds it; each stores its event as entered, refusals shown at their field', async () => {
    const ids: Ids = { childId: '', carerId: '', schoolId: staff.user.schoolId ?? '' };
    const suffix = Date.now().toString(36);

    // The registrations first: the carer and the child every other form is about.
    await open('#/more', '.more a[data-form=registerCarer]');
    await fill('registerCarer', { 'personal.name': `表单老师${suffix}`, 'personal.phone': '13700000000', organisation: 'school', role: 'head-teacher', partyMember: true });
    await shot('form-registerCarer');
    await save('registerCarer');
    await expectEventually(async () => {
      const carers = await apiGet<{ items: { carerId: string; name: string }[] }>(platform.url, staff, `schools/${ids.schoolId}/carers?limit=500`);
      ids.carerId = carers.items.find((carer) => carer.name === `表单老师${suffix}`)?.carerId ?? '';
      expect(ids.carerId).not.toBe('');
    });
    expect((await streamOf(`carer-${ids.carerId}`)).map((event) => [event.type, event.data['role']])).toEqual([['CarerRegistered', 'head-teacher']]);

    await open('#/more', '.more a[data-form=registerChild]');
    // Nothing filled in: each required field says so, before anything is sent; a grade the API refuses too.
    await page.click('form[data-form=registerChild] button[type=submit]');
    for (const field of ['personal.name', 'gender', 'birthMonth', 'grade', 'className', 'category', 'parentsAway', 'guardianType']) {
      expect(await page.getAttribute(`form[data-form=registerChild] [data-field="${field}"] .field-error`, 'data-code')).toBe('missing-field');
    }
    await page.fill('input[name=grade]', '13');
    await page.click('form[data-form=registerChild] button[type=submit]');
    expect(await page.getAttribute('[data-field=grade] .field-error', 'data-code')).toBe('invalid-value');
    await shot('form-refused-locally');
    await fill('registerChild', { 'personal.name': `表单${suffix}`, gender: 'male', birthMonth: '2017-09', grade: '3', className: '3(2)班', category: 'left-behind', parentsAway: 'both', guardianType: 'grandparent', 'personal.guardian.name': '王奶奶', 'personal.guardian.relation': '祖母' });
    await shot('form-registerChild');
    await page.click('form[data-form=registerChild] button[type=submit]');
    await page.waitForSelector('[data-testid=child-name]');
    ids.childId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
    expect((await streamOf(`child-${ids.childId}`)).map((event) => event.type)).toEqual(['ChildRegistered']);

    for (const step of STEPS) {
      const [hash, link] = step.open(ids);
      await open(hash, link);
      await page.waitForSelector(`form[data-form=${step.form}]`);
      if (step.form === 'startPairing') await page.selectOption('select[name=carerId]', ids.carerId);
      const before = await streamOf(step.stream(ids));
      if (step.refuse) {
        await fill(step.form, step.refuse.fill);
        await page.click(`form[data-form=${step.form}] button[type=submit]`);
        const error = `form[data-form=${step.form}] [data-field="${step.refuse.field}"] .field-error[data-code=${step.refuse.code}]`;
        await page.waitForSelector(error);
        // The code, and the reason in the page's words.
        expect(await page.textContent(`${error} code`)).toBe(step.refuse.code);
        expect(await page.textContent(error)).toMatch(/[\u4e00-\u9fff]/);
        await shot(`form-refused-${step.form}`);
        expect(await streamOf(step.stream(ids))).toEqual(before);
      }
      await fill(step.form, step.fill);
      await shot(`form-${step.form}`);
      await save(step.form);
      const added = (await streamOf(step.stream(ids))).filter((event) => !before.some((old) => old.eventId === event.eventId));
      expect({ form: step.form, added: added.map((event) => event.type) }).toEqual({ form: step.form, added: [step.type] });
      expect(added[0].data).toMatchObject(step.data);
    }
    const pairing = (await streamOf(`child-${ids.childId}`)).find((event) => event.type === 'PairingStarted');
    expect(pairing?.data['carerId']).toBe(ids.carerId);
    // The two refusals only the API could make (it answers a refused event with 422); the form made the others without sending.
    expect(problems.filter((problem) => !/^(422: POST \S+\/api\/v1\/events|console: Failed to load resource: .* 422 )/.test(problem))).toEqual([]);
    expect(problems).toHaveLength(4);
  });

  it('groups the worklist by carer: a carer’s children under the carer’s name, the unpaired apart', async () => {
    const schoolId = staff.user.schoolId ?? '';
    const [carerId, first, second, alone] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const registration = (childId: string, name: string) => ({
      eventId: crypto.randomUUID(),
      type: 'ChildRegistered',
      childId,
      occurredAt: '2025-09-01T08:00:00+08:00',
      data: { schoolId, grade: 5, className: '5(9)班', gender: 'male', birthMonth: '2015-03', category: 'left-behind', parentsAway: 'both', guardianType: 'grandparent', personal: { name } },
    });
    const pairing = (childId: string) => ({ eventId: crypto.randomUUID(), type: 'PairingStarted', childId, occurredAt: '2025-09-02T08:00:00+08:00', data: { pairingId: crypto.randomUUID(), carerId, role: 'head-teacher' } });
    const response = await fetch(`${platform.url}/api/v1/events?atomic=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        { eventId: crypto.randomUUID(), type: 'CarerRegistered', carerId, occurredAt: '2025-09-01T08:00:00+08:00', data: { schoolId, organisation: 'school', role: 'head-teacher', partyMember: false, personal: { name: '分组老师' } } },
        registration(first, '分组甲'),
        registration(second, '分组乙'),
        registration(alone, '分组丙'),
        pairing(first),
        pairing(second),
      ]),
    });
    expect(response.status).toBe(200);
    await expectEventually(async () => {
      const worklist = await apiGet<{ items: { childId: string }[] }>(platform.url, staff, `schools/${schoolId}/worklist?limit=500`);
      expect(worklist.items.map((item) => item.childId)).toEqual(expect.arrayContaining([first, second, alone]));
    });
    await page.reload();
    await page.waitForSelector(`[data-carer="${carerId}"] .child-card`);
    const group = page.locator(`.carer-group[data-carer="${carerId}"]`);
    expect(await group.locator('.group-head').textContent()).toContain('分组老师');
    expect(await group.locator('.child-card').evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.child))).toEqual(
      expect.arrayContaining([first, second]),
    );
    expect(await page.locator(`.carer-group[data-carer=unpaired] .child-card[data-child="${alone}"]`).count()).toBe(1);
    // The duty is a tap away, for the group's carer.
    await group.locator(`.child-card[data-child="${first}"] a[data-duty=talk]`).click();
    await page.waitForSelector('form[data-form=recordActivity]');
    expect(await page.inputValue('select[name=carerId]')).toBe(carerId);
    expect(await page.textContent('select[name=carerId] option:checked')).toContain('分组老师');
    await shot('page-worklist-form');
    await page.goto(`${platform.url}/#/`);
    await page.waitForSelector(`[data-carer="${carerId}"] .child-card`);
    await group.scrollIntoViewIfNeeded();
    await shot('page-worklist');
    for (const [hash, ready, name] of [
      ['#/children', '.children .rows li', 'page-children'],
      [`#/children/${first}`, '[data-testid=timeline]', 'page-child-file'],
      ['#/more', '[data-testid=carers] li', 'page-more'],
      ['#/roster', 'input[name=roster]', 'page-roster'],
    ] as const) {
      await page.goto(`${platform.url}/${hash}`);
      await page.waitForSelector(ready);
      await shot(name);
    }
    expect(problems).toEqual([]);
  });
});
