import { randomUUID } from 'node:crypto';
import type { Session } from './testing/demo-platform';
import { childRegistered, platformRuns, recordEvent, signIn } from './testing/demo-platform';
import { expectEventually } from '@lbc/testing';

/**
 * Each role against each endpoint of the served OpenAPI document (DOMAIN.md "Who uses it",
 * API.md "Authentication"): school roles their own school's children, carers and lists in full;
 * county roles aggregates of their county only, never personal data; auditors read-only, their
 * county, personal data only through a history they state a reason for; platform_admin all.
 * Every response that carries personal data must have its entry in the access log.
 */

const ROLES = ['anonymous', 'school_staff', 'school_admin', 'county_education', 'county_youth_league', 'auditor', 'platform_admin'] as const;
type Role = (typeof ROLES)[number];
const ACCOUNTS: Record<Exclude<Role, 'anonymous'>, string> = {
  school_staff: 'school.xinhua.staff',
  school_admin: 'school.xinhua.admin',
  county_education: 'county.edu',
  county_youth_league: 'county.league',
  auditor: 'auditor',
  platform_admin: 'admin',
};

/** Whose ids a call names: the caller's own school (xinhua), another school of its county (mumen), a school of another county. */
const TARGETS = ['own', 'otherSchool', 'otherCounty'] as const;
type Target = (typeof TARGETS)[number];
interface Ids {
  readonly countyId: string;
  readonly schoolId: string;
  readonly childId: string;
  readonly carerId: string;
  /** A school_staff account of the school. */
  readonly staffId: string;
}

/** 2xx ok; 400/415/422 checked (let past the role, stopped at the input); 401, 403 refused, 404 unknown (nothing told). */
type Outcome = 'ok' | 'checked' | 'unauthenticated' | 'refused' | 'unknown';
/** One outcome whatever the target, or one per target (own, other school, other county). */
type Cell = Outcome | readonly [Outcome, Outcome, Outcome];
type Row = Record<Role, Cell>;

interface Call {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  readonly body?: unknown;
}
interface Operation {
  /** Calls naming ids are made once per target, the others once. */
  readonly call: Call | ((ids: Ids) => Call);
  readonly expect: Row;
}

const REASON = '年度督导抽查';
const row = (cells: Partial<Row> & Pick<Row, 'school_staff' | 'platform_admin'>): Row => ({
  anonymous: 'unauthenticated',
  school_admin: cells.school_staff,
  county_education: 'refused',
  county_youth_league: 'refused',
  auditor: 'refused',
  ...cells,
});
/** Writes (events, forms, rosters): school roles and platform_admin; an empty body is refused as input, after the role. */
const WRITE = row({ school_staff: 'checked', platform_admin: 'checked' });
/** A valid write about a child: its own school's roles and platform_admin only. */
const CARE_WORK = row({ school_staff: ['ok', 'refused', 'refused'], platform_admin: 'ok' });
const ACTIVITY = { kind: 'talk', minutes: 10, occurredAt: '2025-09-21' };
/** The auditors' endpoints: auditor (of its county) and platform_admin (any) only. */
const AUDIT = (auditor: Cell, platformAdmin: Cell = auditor): Row => row({ school_staff: 'refused', auditor, platform_admin: platformAdmin });
/** Figures of a school: its own school roles exact, county roles and auditors of its county, platform_admin any. */
const FIGURES = row({
  school_staff: ['ok', 'refused', 'refused'],
  county_education: ['ok', 'ok', 'refused'],
  county_youth_league: ['ok', 'ok', 'refused'],
  auditor: ['ok', 'ok', 'refused'],
  platform_admin: 'ok',
});
/**
 * A school's lists: its own school roles and platform_admin with names, auditors of its county
 * without (another county's school is unknown to them); county roles refused.
 */
const SCHOOL_LIST = row({ school_staff: ['ok', 'refused', 'refused'], auditor: ['ok', 'ok', 'unknown'], platform_admin: 'ok' });
const PUBLIC: Row = { anonymous: 'ok', school_staff: 'ok', school_admin: 'ok', county_education: 'ok', county_youth_league: 'ok', auditor: 'ok', platform_admin: 'ok' };
const EVERYONE_CHECKED: Row = { ...row({ school_staff: 'checked', platform_admin: 'checked' }), county_education: 'checked', county_youth_league: 'checked', auditor: 'checked' };

const child = (path: string, body: unknown = {}) => (ids: Ids): Call => ({ method: 'POST', path: `/api/v1/children/${ids.childId}${path}`, body });
const school = (path: string) => (ids: Ids): Call => ({ method: 'POST', path: `/api/v1/schools/${ids.schoolId}${path}`, body: {} });
const get = (path: string): Call => ({ method: 'GET', path });
const figures = (path: string) => (ids: Ids) => get(`${path}${path.includes('?') ? '&' : '?'}scope=school:${ids.schoolId}&asOf=2025-10-01`);

/** Keyed by operationId: an endpoint without its row fails the test. */
const OPERATIONS: Record<string, Operation> = {
  login: { call: { method: 'POST', path: '/api/v1/auth/login', body: {} }, expect: { ...EVERYONE_CHECKED, anonymous: 'checked' } },
  changeOwnPassword: { call: { method: 'POST', path: '/api/v1/auth/password', body: {} }, expect: EVERYONE_CHECKED },
  HealthController_health: { call: get('/health'), expect: PUBLIC },
  ObservabilityController_metricsText: { call: get('/metrics'), expect: PUBLIC },

  EventsController_submit: {
    call: (ids) => ({
      method: 'POST',
      path: '/api/v1/events',
      body: { eventId: randomUUID(), type: 'CareActivityRecorded', childId: ids.childId, occurredAt: ACTIVITY.occurredAt, data: { activityId: randomUUID(), kind: ACTIVITY.kind, minutes: ACTIVITY.minutes } },
    }),
    expect: CARE_WORK,
  },
  FormsChildrenFormsController_registerChild: { call: { method: 'POST', path: '/api/v1/children', body: {} }, expect: WRITE },
  FormsChildrenFormsController_updateArchive: { call: child('/archive'), expect: WRITE },
  FormsChildrenFormsController_changeGuardianship: { call: child('/guardianship'), expect: WRITE },
  FormsChildrenFormsController_flagRisk: { call: child('/risk-flags'), expect: WRITE },
  // The path makes the event whole: another school's child is refused, the caller's own has no open flag to clear.
  FormsChildrenFormsController_clearRisk: { call: child('/risk-flags/health/clear'), expect: { ...WRITE, school_staff: ['checked', 'refused', 'refused'], school_admin: ['checked', 'refused', 'refused'] } },
  FormsChildrenFormsController_startPairing: { call: child('/pairings'), expect: WRITE },
  FormsChildrenFormsController_endPairing: { call: child(`/pairings/${randomUUID()}/end`), expect: WRITE },
  FormsChildrenFormsController_recordActivity: { call: child('/activities', ACTIVITY), expect: CARE_WORK },
  FormsChildrenFormsController_voidActivity: { call: child(`/activities/${randomUUID()}/void`), expect: WRITE },
  FormsChildrenFormsController_reportIncident: { call: child('/incidents'), expect: WRITE },
  FormsChildrenFormsController_notifyIncidentParty: { call: child(`/incidents/${randomUUID()}/notifications`), expect: WRITE },
  FormsChildrenFormsController_resolveIncident: { call: child(`/incidents/${randomUUID()}/resolution`), expect: WRITE },
  FormsChildrenFormsController_changeEnrollment: { call: child('/enrollment-changes'), expect: WRITE },
  FormsChildrenFormsController_endLeftBehindStatus: { call: child('/left-behind-status/end'), expect: WRITE },
  FormsChildrenFormsController_resumeLeftBehindStatus: { call: child('/left-behind-status/resume'), expect: WRITE },
  FormsChildrenFormsController_eraseChild: { call: child('/erasure'), expect: WRITE },
  FormsSchoolsAndCarersFormsController_registerSchool: { call: { method: 'POST', path: '/api/v1/schools', body: {} }, expect: WRITE },
  FormsSchoolsAndCarersFormsController_reportEnrollment: { call: school('/enrollment-reports'), expect: WRITE },
  FormsSchoolsAndCarersFormsController_openCareHome: { call: school('/care-homes'), expect: WRITE },
  FormsSchoolsAndCarersFormsController_holdCareHomeActivity: { call: school(`/care-homes/${randomUUID()}/activities`), expect: WRITE },
  FormsSchoolsAndCarersFormsController_registerCarer: { call: { method: 'POST', path: '/api/v1/carers', body: {} }, expect: WRITE },
  FormsSchoolsAndCarersFormsController_retireCarer: { call: (ids) => ({ method: 'POST', path: `/api/v1/carers/${ids.carerId}/retirement`, body: {} }), expect: WRITE },
  FormsSchoolsAndCarersFormsController_eraseCarer: { call: (ids) => ({ method: 'POST', path: `/api/v1/carers/${ids.carerId}/erasure`, body: {} }), expect: WRITE },
  // A roster names its school in the path, checked before the file is read.
  RosterController_import: { call: school('/roster'), expect: row({ school_staff: ['checked', 'refused', 'refused'], platform_admin: 'checked' }) },

  createUser: { call: { method: 'POST', path: '/api/v1/users', body: {} }, expect: row({ school_staff: 'refused', school_admin: 'checked', platform_admin: 'checked' }) },
  listUsers: { call: get('/api/v1/users'), expect: row({ school_staff: 'refused', school_admin: 'ok', platform_admin: 'ok' }) },
  // A harmless change (enabled stays enabled) of a school_staff account: school_admin manages its own school's only.
  updateUser: {
    call: (ids) => ({ method: 'PATCH', path: `/api/v1/users/${ids.staffId}`, body: { disabled: false } }),
    expect: row({ school_staff: 'refused', school_admin: ['ok', 'unknown', 'unknown'], platform_admin: 'ok' }),
  },
  listAccountChanges: { call: get('/api/v1/account-changes'), expect: AUDIT('ok') },

  getChildFile: {
    call: (ids) => get(`/api/v1/children/${ids.childId}`),
    expect: row({ school_staff: ['ok', 'unknown', 'unknown'], auditor: ['ok', 'ok', 'unknown'], platform_admin: 'ok' }),
  },
  listSchoolChildren: { call: (ids) => get(`/api/v1/schools/${ids.schoolId}/children`), expect: SCHOOL_LIST },
  listSchoolCarers: { call: (ids) => get(`/api/v1/schools/${ids.schoolId}/carers`), expect: SCHOOL_LIST },
  listSchoolCareHomes: { call: (ids) => get(`/api/v1/schools/${ids.schoolId}/care-homes`), expect: SCHOOL_LIST },
  getSchoolWorklist: { call: (ids) => get(`/api/v1/schools/${ids.schoolId}/worklist?asOf=2025-10-01`), expect: SCHOOL_LIST },

  getStatistics: { call: figures('/api/v1/stats'), expect: FIGURES },
  getStatisticsSeries: { call: figures('/api/v1/stats/series?indicator=leftBehindChildren'), expect: FIGURES },
  // A breakdown is of a county or township, by school or township: school roles read none.
  getStatisticsBreakdown: {
    call: (ids) => get(`/api/v1/stats/breakdown?indicator=leftBehindChildren&by=school&scope=county:${ids.countyId}&asOf=2025-10-01`),
    expect: { ...FIGURES, school_staff: 'refused', school_admin: 'refused' },
  },
  getChildrenInCare: { call: figures('/api/v1/read-models/children-in-care'), expect: FIGURES },
  // Not a GET /stats export: refused as input once the role may check reports.
  checkReport: { call: { method: 'POST', path: '/api/v1/stats/report-checks?submittedAt=2025-10-02T09:00:00%2B08:00', body: {} }, expect: AUDIT('checked') },

  getStreamHistory: {
    call: (ids) => get(`/api/v1/audit/streams/child-${ids.childId}?reason=${encodeURIComponent(REASON)}`),
    expect: AUDIT(['ok', 'ok', 'unknown'], 'ok'),
  },
  listAccessLog: { call: get('/api/v1/audit/access-log'), expect: AUDIT('ok') },
  listTreeHeads: { call: get('/api/v1/audit/tree-heads'), expect: AUDIT('ok') },
  signTreeHead: { call: { method: 'POST', path: '/api/v1/audit/tree-heads' }, expect: AUDIT('ok') },
  getInclusionProof: { call: (ids) => get(`/api/v1/audit/proofs/inclusion?streamId=child-${ids.childId}&revision=0`), expect: AUDIT(['ok', 'ok', 'unknown'], 'ok') },
  getConsistencyProof: { call: get('/api/v1/audit/proofs/consistency?first=1&second=2'), expect: AUDIT('ok') },
  verifyRecord: { call: { method: 'POST', path: '/api/v1/audit/verify', body: {} }, expect: AUDIT('ok') },
};

function outcomeOf(status: number): Outcome | `status ${number}` {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 400 || status === 415 || status === 422) return 'checked';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'refused';
  if (status === 404) return 'unknown';
  return `status ${status}`;
}

/** The personal data planted in the record, each string in one subject's stream under one field. */
interface Planted {
  readonly text: string;
  readonly subject: string;
  readonly field: string;
}

/** A call that answered with personal data in its body. */
interface PersonalRead {
  readonly operation: string;
  readonly role: Role;
  readonly requestId: string;
  readonly planted: Planted;
}

describe('each role against each endpoint', () => {
  const runs = platformRuns('role-matrix', { DEMO_CHILDREN: '0' });
  let url: string;
  const sessions = {} as Record<Exclude<Role, 'anonymous'>, Session>;
  const ids = {} as Record<Target, Ids>;
  const planted: Planted[] = [];

  beforeAll(async () => {
    url = await runs.start().listening('Platform');
    for (const role of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) sessions[role] = await signIn(url, ACCOUNTS[role]);
    const mumen = await signIn(url, 'school.mumen.staff');
    const admin = sessions.platform_admin;
    const record = async (session: Session, event: Record<string, unknown>) => expect(await recordEvent(url, session, event)).toBe(201);
    const otherCounty = { ...admin, schoolId: randomUUID(), countyId: randomUUID() };
    await record(admin, {
      type: 'SchoolRegistered',
      schoolId: otherCounty.schoolId,
      occurredAt: '2025-08-20',
      data: { name: '邻县小学', countyId: otherCounty.countyId, countyName: '邻县', townshipId: randomUUID(), townshipName: '邻镇', level: 'primary', boarding: false },
    });
    const createdStaff = await fetch(`${url}/api/v1/users`, {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ username: `staff.${randomUUID().slice(0, 8)}`, password: 'a long enough passphrase 7', role: 'school_staff', schoolId: otherCounty.schoolId, countyId: otherCounty.countyId }),
    });
    expect(createdStaff.status).toBe(201);
    const staffIds = { own: sessions.school_staff.userId, otherSchool: mumen.userId, otherCounty: ((await createdStaff.json()) as { id: string }).id };
    const writers: Record<Target, Session> = { own: sessions.school_staff, otherSchool: mumen, otherCounty };
    for (const target of TARGETS) {
      const session = writers[target];
      const [childId, carerId] = [randomUUID(), randomUUID()];
      const [childName, carerName, notes] = [`童${randomUUID().slice(0, 8)}`, `师${randomUUID().slice(0, 8)}`, `记${randomUUID().slice(0, 8)}`];
      await record(session, childRegistered(session, childId, childName));
      await record(session, {
        type: 'CarerRegistered',
        carerId,
        occurredAt: '2025-09-01',
        data: { schoolId: session.schoolId, organisation: 'school', role: 'head-teacher', partyMember: false, personal: { name: carerName } },
      });
      await record(session, {
        type: 'CareActivityRecorded',
        childId,
        occurredAt: '2025-09-20',
        data: { activityId: randomUUID(), kind: 'talk', carerId, minutes: 20, personal: { notes } },
      });
      ids[target] = { countyId: session.countyId, schoolId: session.schoolId, childId, carerId, staffId: staffIds[target] };
      planted.push({ text: childName, subject: `child-${childId}`, field: 'name' }, { text: notes, subject: `child-${childId}`, field: 'notes' }, { text: carerName, subject: `carer-${carerId}`, field: 'name' });
    }
    // The read models have every child, and a head is signed, before the first call.
    await expectEventually(async () => {
      for (const target of TARGETS) {
        const list = await fetch(`${url}/api/v1/schools/${ids[target].schoolId}/children`, { headers: admin.headers });
        expect(await list.text()).toContain(ids[target].childId);
      }
    });
    expect((await fetch(`${url}/api/v1/audit/tree-heads`, { method: 'POST', headers: admin.headers })).status).toBe(201);
  });

  const actual: Record<string, Record<Role, string | readonly string[]>> = {};
  const reads: PersonalRead[] = [];

  it('has a row for every operation the platform serves', async () => {
    const document = (await (await fetch(`${url}/api/docs-json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const served = Object.values(document.paths).flatMap((methods) => Object.values(methods).map(({ operationId }) => operationId));
    expect(served.length).toBeGreaterThan(40);
    expect(served.sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it('lets each role do only what DOMAIN.md and API.md allow, on its own ids, another school’s and another county’s', async () => {
    const call = async (operation: string, role: Role, request: Call): Promise<string> => {
      const headers: Record<string, string> = role === 'anonymous' ? { 'content-type': 'application/json' } : sessions[role].headers;
      const response = await fetch(`${url}${request.path}`, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      const body = await response.text();
      const outcome = outcomeOf(response.status);
      if (outcome === 'ok') {
        for (const one of planted.filter(({ text }) => body.includes(text))) {
          reads.push({ operation, role, requestId: response.headers.get('x-request-id') ?? '', planted: one });
        }
      }
      return outcome;
    };
    for (const [operation, { call: request }] of Object.entries(OPERATIONS)) {
      actual[operation] = {} as Record<Role, string>;
      for (const role of ROLES) {
        if (typeof request !== 'function') {
          actual[operation][role] = await call(operation, role, request);
          continue;
        }
        const outcomes: string[] = [];
        for (const target of TARGETS) outcomes.push(await call(operation, role, request(ids[target])));
        actual[operation][role] = new Set(outcomes).size === 1 && typeof OPERATIONS[operation].expect[role] === 'string' ? outcomes[0] : outcomes;
      }
    }
    expect(actual).toEqual(Object.fromEntries(Object.entries(OPERATIONS).map(([operation, { expect: cells }]) => [operation, cells])));
  });

  it('answers with personal data only where DOMAIN.md allows it, and every such read is in the access log with who, subject, field and reason', async () => {
    const readers = [...new Set(reads.map(({ operation, role }) => `${operation} ${role}`))].sort();
    expect(readers).toEqual(
      [
        'getChildFile platform_admin',
        'getChildFile school_admin',
        'getChildFile school_staff',
        'getSchoolWorklist platform_admin',
        'getSchoolWorklist school_admin',
        'getSchoolWorklist school_staff',
        'getStreamHistory auditor',
        'getStreamHistory platform_admin',
        'listSchoolCarers platform_admin',
        'listSchoolCarers school_admin',
        'listSchoolCarers school_staff',
        'listSchoolChildren platform_admin',
        'listSchoolChildren school_admin',
        'listSchoolChildren school_staff',
      ].sort(),
    );
    const log = await fetch(`${url}/api/v1/audit/access-log?limit=500`, { headers: sessions.platform_admin.headers });
    const { entries } = (await log.json()) as { entries: { userId: string; role: string; subject: string; fields: string[]; reason: string; requestId: string | null }[] };
    const unlogged = reads.filter(({ operation, role, requestId, planted: { subject, field } }) => {
      const session = sessions[role as keyof typeof sessions];
      // A history opens for the reason its reader states; school roles and platform_admin read otherwise for their work.
      const reason = operation === 'getStreamHistory' ? REASON : role === 'platform_admin' ? 'platform administration' : 'the school’s care work';
      return !entries.some(
        (entry) =>
          entry.requestId === requestId && entry.userId === session.userId && entry.role === role && entry.subject === subject && entry.fields.includes(field) && entry.reason === reason,
      );
    });
    expect(unlogged).toEqual([]);
  });
});
