import type {
  ActivityKind,
  CarerEvent,
  CarerOrganisation,
  CarerRole,
  ChildCategory,
  ChildEvent,
  ChildPersonal,
  GuardianType,
  ParentsAway,
  RiskFlag,
  SchoolEvent,
  SubmittedEvent,
} from '@lbc/domain';
import { countyDateOf } from '@lbc/domain';
import type { Calendar } from './calendar';
import { DAY_MS } from './calendar';
import type { ResolvedCountyOptions } from './county-options';
import type { SchoolPlan } from './county-plan';
import { GRADES } from './county-plan';
import { aidItems, careNote, employer, fictionalName, fictionalPhone, fictionalPlace, interest, personality, workCity } from './fictional-names';
import type { Ids } from './ids';
import type { Random } from './random';

/** An event with the times the generator gave it; `recordedMs` may still move earlier (see `close`). */
export interface Emitted {
  readonly event: SubmittedEvent;
  readonly occurredMs: number;
  recordedMs: number;
  readonly seq: number;
  readonly recordedBy: string;
}

interface CarerSim {
  readonly carerId: string;
  readonly volunteer: boolean;
  readonly role: CarerRole;
  readonly cap: number;
  /** Registered on this day: paired from then on. */
  readonly since: number;
  readonly retireDay: number;
  retired: boolean;
  readonly children: Set<ChildSim>;
}

interface PairingSim {
  readonly pairingId: string;
  readonly carer: CarerSim;
}

/** A child as the simulation follows it; the object moves with the child to its next school. */
export interface ChildSim {
  readonly childId: string;
  grade: number;
  readonly category: ChildCategory;
  parentsAway: ParentsAway;
  guardianType: GuardianType;
  readonly poor: boolean;
  enrollment: 'enrolled' | 'dropped-out' | 'away';
  leftBehindActive: boolean;
  pairings: PairingSim[];
  needsPairingFrom: number;
  needsVolunteerFrom: number;
  readonly wantsPairing: boolean;
  openFlags: RiskFlag[];
  /** Late-recorded events not yet followed by an event that closes the file. */
  late: Emitted[];
}

/** A child arriving from another school of the county (`transferred-in` on `day`). */
export interface Arrival {
  readonly child: ChildSim;
  readonly day: number;
  readonly fromSchoolId: string;
}

export interface County {
  readonly options: ResolvedCountyOptions;
  readonly calendar: Calendar;
  readonly ids: Ids;
  readonly schools: readonly SchoolPlan[];
  /** Moves into each school, filled by the schools simulated before it. */
  readonly arrivals: Map<number, Arrival[]>;
  seq: number;
}

type Action = () => void;
type ChildData<T extends ChildEvent['type']> = Extract<ChildEvent, { type: T }>['data'];

const ANNUAL = 1 / 365;
const SCHOOL_DAYS_PER_YEAR = 190;
const DROPOUT_RATE: Readonly<Record<SchoolPlan['registered']['level'], number>> = {
  primary: 0.004,
  'nine-year': 0.01,
  'junior-secondary': 0.025,
  'senior-secondary': 0.035,
};
const TRANSFER_RATE = 0.03;
const LEFT_BEHIND_END_RATE = 0.05;
const RISK_RATE = 0.12;
const INCIDENT_RATE = 0.025;
const ARCHIVE_UPDATE_RATE = 0.1;
const LATE_SHARE = 0.02;
const VOID_SHARE = 0.01;
const RETIREMENT_RATE = 0.04;

const CATEGORIES: readonly (readonly [ChildCategory, number])[] = [
  ['left-behind', 83],
  ['single-parent', 7],
  ['in-difficulty', 5],
  ['orphan', 3],
  ['abandoned', 2],
];
const LEFT_BEHIND_GUARDIANS: readonly (readonly [GuardianType, number])[] = [
  ['grandparent', 74],
  ['relative', 25],
  ['none', 1],
];
const OTHER_GUARDIANS: Readonly<Record<ChildCategory, readonly (readonly [GuardianType, number])[]>> = {
  'left-behind': LEFT_BEHIND_GUARDIANS,
  'single-parent': [['parent-at-home', 60], ['grandparent', 30], ['relative', 10]],
  'in-difficulty': [['parent-at-home', 50], ['grandparent', 40], ['relative', 10]],
  orphan: [['grandparent', 50], ['relative', 35], ['entrusted', 15]],
  abandoned: [['grandparent', 40], ['relative', 40], ['entrusted', 20]],
};
const RELATION: Readonly<Record<GuardianType, readonly string[]>> = {
  grandparent: ['祖父', '祖母', '外祖父', '外祖母'],
  relative: ['叔叔', '姑姑', '舅舅', '姨妈', '哥哥'],
  entrusted: ['邻居', '村干部', '远亲'],
  'parent-at-home': ['母亲', '父亲'],
  none: [],
};
const VOLUNTEERS: readonly (readonly [readonly [CarerOrganisation, CarerRole], number])[] = [
  [['youth-league', 'volunteer'], 35],
  [['womens-federation', 'love-mother'], 25],
  [['care-committee', 'proxy-parent'], 20],
  [['village', 'cadre'], 15],
  [['other', 'volunteer'], 5],
];
const TEACHER_ROLES: readonly (readonly [CarerRole, number])[] = [
  ['head-teacher', 45],
  ['subject-teacher', 40],
  ['party-member-teacher', 15],
];
const FLAGS: readonly (readonly [RiskFlag, number])[] = [
  ['academic', 30],
  ['psychological', 25],
  ['poverty', 20],
  ['behavioural', 10],
  ['health', 10],
  ['safety', 5],
];
/** Mostly gifts and small grants: the seeds' county gave 4.3万 person-times 360余万元, about 84 yuan each. */
const AID_YUAN: readonly (readonly [number, number])[] = [
  [30, 20],
  [50, 35],
  [100, 30],
  [200, 12],
  [500, 3],
];
const HOME_ACTIVITIES = ['亲情电话日', '周末读书会', '手工课', '生日会', '观影活动', '趣味运动会', '心理健康讲座', '中秋团圆活动'];
const FACILITIES = ['computer', 'tv', 'player', 'family-phone', 'books', 'sports-kit'] as const;

/**
 * Minutes of the day (county-local) at which things happen, so that one day's events are recorded
 * in an order decide accepts: the school and its carers first, then children entering care, then
 * the day's turns and care work, children leaving care before 16:00, new pairings after it (a
 * place freed today is free by then).
 */
const T = {
  school: 7 * 60,
  carersFrom: 7 * 60 + 10,
  carersTo: 7 * 60 + 29,
  enterFrom: 7 * 60 + 30,
  enterTo: 8 * 60 + 59,
  turnFrom: 9 * 60,
  leaveTo: 15 * 60 + 59,
  pairFrom: 16 * 60,
  pairTo: 17 * 60,
  late: 19 * 60,
} as const;

const inCare = (child: ChildSim) => child.enrollment === 'enrolled' && (child.category !== 'left-behind' || child.leftBehindActive);

/**
 * One school's history, day by day: the school, its carers and its children, with every event of
 * INTERCHANGE.md. Each event is valid when recorded in the order of its `recordedMs` (ties: its
 * `occurredMs`): a carer is paired with at most its capacity of children in care at any time,
 * notifications follow incidents, care work stops when a file closes, and events recorded late
 * are recorded before the file closes.
 */
export class SchoolSimulation {
  private readonly out: Emitted[] = [];
  private readonly agenda: Action[][];
  private readonly children = new Set<ChildSim>();
  private readonly teachers: CarerSim[] = [];
  private readonly volunteers: CarerSim[] = [];
  private readonly calendar: Calendar;
  /** The day the care home opened (its activities start the day after); Infinity: none. */
  private homeSince = Infinity;
  private readonly healthCheckDay: number;

  constructor(
    private readonly county: County,
    private readonly plan: SchoolPlan,
    private readonly random: Random,
  ) {
    this.calendar = county.calendar;
    this.agenda = Array.from({ length: this.calendar.length }, () => []);
    this.healthCheckDay = random.int(40, 90);
  }

  run(): Emitted[] {
    const { calendar, plan, random } = this;
    const arrivals: Action[][] = Array.from({ length: calendar.length }, () => []);
    const later = (day: number, action: Action) => {
      if (day >= 0 && day < calendar.length) arrivals[day].push(action);
    };
    const newcomers = Math.round(plan.quota * 0.12);
    const septembers = calendar.days.filter((d) => d.month === 9 && d.dayOfMonth === 1 && d.index > 0).map((d) => d.index);
    for (let i = 0; i < plan.quota; i++) {
      if (i >= plan.quota - newcomers && septembers.length > 0 && random.chance(0.6)) {
        later(calendar.schoolDayFrom(random.pick(septembers) + random.int(0, 10)), () => this.register(GRADES[plan.registered.level][0]));
      } else if (i >= plan.quota - newcomers) {
        later(random.int(1, calendar.length - 1), () => this.register());
      } else {
        // The archive campaign (建档) of the first weeks registers the children already at school.
        later(random.int(0, 14), () => this.register());
      }
    }
    for (const arrival of this.county.arrivals.get(plan.index) ?? []) later(arrival.day, () => this.arrive(arrival));

    let term = '';
    const homeDay = plan.homeId ? random.int(0, Math.min(60, calendar.length - 1)) : -1;
    for (const day of calendar.days) {
      const d = day.index;
      this.currentDay = d;
      if (d === 0) this.openSchool();
      if (day.term !== term && (d === 0 || day.schoolDay)) {
        term = day.term;
        this.schoolEvent('EnrollmentReported', d, T.school + 5, { term, totalPupils: this.pupils(d) });
      }
      if (d === homeDay) this.openHome(d);
      if (d > this.homeSince && day.schoolDay && random.chance(0.25)) this.homeActivity(d);
      if (day.month === 9 && day.dayOfMonth === 1 && d > 0) this.newSchoolYear(d);
      if (day.month === 7 && day.dayOfMonth === 5) this.yearEnd(d);
      for (const carer of [...this.teachers, ...this.volunteers]) if (carer.retireDay === d) this.retire(carer, d);
      for (const action of arrivals[d]) action();
      for (const child of [...this.children]) this.live(child, d);
      for (const action of this.agenda[d]) action();
      this.agenda[d] = [];
      if (day.schoolDay) this.pair(d);
    }
    return this.out;
  }

  /**
   * Pupils reported for the term: about twice the left-behind children (the seeds' county: 50.6%),
   * from the school's plan before its children are registered, then from those at school.
   */
  private pupils(day: number): number {
    const { plan, random } = this;
    if (day === 0) return Math.round(plan.quota * 0.85 * random.between(1.85, 2.15));
    let leftBehind = 0;
    for (const child of this.children) if (child.category === 'left-behind' && child.leftBehindActive && child.enrollment === 'enrolled') leftBehind++;
    return Math.round(leftBehind / random.between(0.46, 0.55));
  }

  // ---- emitting ----

  private emit(event: SubmittedEvent, occurredMs: number, late = false): Emitted {
    const { calendar, plan } = this;
    const every = this.county.options.uploadEveryDays;
    const uploadFrom = (day: number): number => {
      for (let u = day; u < calendar.length; u++) {
        if ((u + plan.uploadPhase) % every !== 0) continue;
        const at = calendar.ms(u, plan.uploadMinute);
        if (at >= occurredMs) return at;
      }
      return occurredMs + 10 * 60_000;
    };
    const day = Math.floor((occurredMs - calendar.startMs) / DAY_MS);
    const onTime = uploadFrom(day);
    const lateDay = day + this.random.int(14, 90);
    const recordedMs = late && lateDay < calendar.length ? uploadFrom(lateDay) : onTime;
    const emitted: Emitted = { event, occurredMs, recordedMs, seq: this.county.seq++, recordedBy: plan.recordedBy };
    this.out.push(emitted);
    return emitted;
  }

  private childEvent<T extends ChildEvent['type']>(child: ChildSim, type: T, occurredMs: number, data: ChildData<T>, late = false): Emitted {
    const event = { eventId: this.county.ids.next('event'), type, childId: child.childId, occurredAt: this.calendar.iso(occurredMs), data };
    const emitted = this.emit(event as SubmittedEvent, occurredMs, late);
    if (late) child.late.push(emitted);
    return emitted;
  }

  private schoolEvent<T extends SchoolEvent['type']>(type: T, day: number, minute: number, data: Extract<SchoolEvent, { type: T }>['data'], late = false): void {
    const event = { eventId: this.county.ids.next('event'), type, schoolId: this.plan.schoolId, occurredAt: this.calendar.iso(this.calendar.ms(day, minute)), data };
    this.emit(event as SubmittedEvent, this.calendar.ms(day, minute), late);
  }

  private carerEvent<T extends CarerEvent['type']>(carerId: string, type: T, day: number, minute: number, data: Extract<CarerEvent, { type: T }>['data']): void {
    const event = { eventId: this.county.ids.next('event'), type, carerId, occurredAt: this.calendar.iso(this.calendar.ms(day, minute)), data };
    this.emit(event as SubmittedEvent, this.calendar.ms(day, minute));
  }

  /** An event that closes the file: whatever was recorded late is recorded by then at the latest. */
  private close(child: ChildSim, closing: Emitted): void {
    for (const late of child.late) if (late.recordedMs > closing.recordedMs) late.recordedMs = closing.recordedMs;
    child.late = [];
  }

  private at(day: number, fromMinute: number, toMinute: number): number {
    return this.calendar.ms(day, this.random.int(fromMinute, toMinute));
  }

  private schedule(day: number, action: Action): void {
    if (day >= 0 && day < this.agenda.length) this.agenda[day].push(action);
  }

  // ---- the school and its carers ----

  private openSchool(): void {
    const { plan, random } = this;
    this.schoolEvent('SchoolRegistered', 0, T.school, plan.registered);
    const expected = plan.quota * 0.9 * plan.compliance.pairing;
    const teachers = Math.ceil(expected / 2.4) + 1;
    for (let i = 0; i < teachers; i++) this.registerCarer(0, false);
    for (let i = 0; i < Math.ceil(plan.quota * 0.04) + 1; i++) this.registerCarer(random.int(0, 20), true);
  }

  private registerCarer(day: number, volunteer: boolean): void {
    const { random, county } = this;
    const carerId = county.ids.next('carer');
    const [organisation, role] = volunteer ? random.weighted(VOLUNTEERS) : (['school', random.weighted(TEACHER_ROLES)] as const);
    const maxLoad = county.options.maxCarerLoad;
    const willRetire = random.chance((RETIREMENT_RATE * county.options.months) / 12);
    const carer: CarerSim = {
      carerId,
      volunteer,
      role,
      cap: volunteer ? maxLoad : Math.min(maxLoad, random.pick([2, 3])),
      since: day,
      retireDay: willRetire ? random.int(day + 30, day + 30 + this.calendar.length) : -1,
      retired: false,
      children: new Set(),
    };
    (volunteer ? this.volunteers : this.teachers).push(carer);
    this.carerEvent(carerId, 'CarerRegistered', day, random.int(T.carersFrom, T.carersTo), {
      // Volunteers of the county's organisations serve the whole county: no school of their own.
      ...(volunteer ? {} : { schoolId: this.plan.schoolId }),
      organisation,
      role,
      partyMember: role === 'party-member-teacher' || random.chance(role === 'cadre' ? 0.8 : 0.3),
      personal: { name: fictionalName(random), ...(random.chance(0.9) ? { phone: fictionalPhone(random) } : {}) },
    });
  }

  private retire(carer: CarerSim, day: number): void {
    const { random } = this;
    for (const child of carer.children) {
      const pairing = child.pairings.find((p) => p.carer === carer);
      if (!pairing) continue;
      // Most schools end the pairings first; the others rely on the retirement ending them.
      if (random.chance(0.7)) this.childEvent(child, 'PairingEnded', this.calendar.ms(day, T.turnFrom - 30), { pairingId: pairing.pairingId, reason: '帮扶教师调离' });
      child.pairings = child.pairings.filter((p) => p !== pairing);
      if (carer.volunteer) child.needsVolunteerFrom = day + random.int(3, 20);
      else child.needsPairingFrom = day + random.int(1, 14);
    }
    carer.children.clear();
    carer.retired = true;
    this.carerEvent(carer.carerId, 'CarerRetired', day, T.turnFrom - 20, { reason: random.pick(['调离', '退休', '外出务工']) });
    if (random.chance(0.2)) this.schedule(day + random.int(30, 120), () => this.carerEvent(carer.carerId, 'PersonalDataErased', this.currentDay, T.turnFrom, { reason: '本人申请删除' }));
  }

  private openHome(day: number): void {
    const { plan, random } = this;
    const facilities = FACILITIES.filter((f) => f === 'family-phone' || f === 'books' || random.chance(0.6));
    this.schoolEvent('CareHomeOpened', day, T.turnFrom, { homeId: plan.homeId as string, name: `${plan.registered.name}留守儿童之家`, facilities });
    this.homeSince = day;
  }

  private homeActivity(day: number): void {
    const { plan, random } = this;
    this.schoolEvent('CareHomeActivityHeld', day, random.int(14 * 60, 17 * 60), {
      homeId: plan.homeId as string,
      title: random.pick(HOME_ACTIVITIES),
      participants: random.int(8, Math.max(10, Math.round(plan.quota / 5))),
    }, random.chance(LATE_SHARE));
  }

  private newSchoolYear(day: number): void {
    const { random } = this;
    for (let i = 0; i < Math.ceil(this.teachers.length * 0.05); i++) this.registerCarer(day, false);
    for (const child of this.children) {
      const teacher = child.pairings.find((p) => !p.carer.volunteer);
      if (!teacher || !random.chance(0.25)) continue;
      this.childEvent(child, 'PairingEnded', this.calendar.ms(day, T.turnFrom - 30), { pairingId: teacher.pairingId, reason: '学年调整' });
      this.release(child, teacher);
      child.needsPairingFrom = day + random.int(1, 10);
    }
  }

  // ---- children ----

  private register(grade?: number): void {
    const { random, plan, calendar } = this;
    const day = this.currentDay;
    const [low, high] = GRADES[plan.registered.level];
    const category = random.weighted(CATEGORIES);
    const parentsAway: ParentsAway =
      category === 'left-behind'
        ? random.weighted([['both', 55], ['father', 30], ['mother', 15]] as const)
        : category === 'orphan' || category === 'abandoned'
          ? 'none'
          : random.weighted([['none', 60], ['father', 25], ['mother', 15]] as const);
    const guardianType = random.weighted(OTHER_GUARDIANS[category]);
    const child: ChildSim = {
      childId: this.county.ids.next('child'),
      grade: grade ?? random.int(low, high),
      category,
      parentsAway,
      guardianType,
      poor: category !== 'left-behind' && category !== 'single-parent' ? true : random.chance(category === 'single-parent' ? 0.5 : 0.25),
      enrollment: 'enrolled',
      leftBehindActive: true,
      pairings: [],
      needsPairingFrom: Infinity,
      needsVolunteerFrom: Infinity,
      wantsPairing: random.chance(plan.compliance.pairing),
      openFlags: [],
      late: [],
    };
    const date = calendar.days[day].date;
    const schoolYear = Number(date.slice(0, 4)) - (Number(date.slice(5, 7)) >= 9 ? 0 : 1);
    const birthYear = schoolYear - child.grade - 5 - (random.chance(0.15) ? 1 : 0);
    const awaySince = parentsAway === 'none' || random.chance(0.2) ? {} : { awaySince: countyDateOf(calendar.ms(day, 0) - random.int(90, 900) * DAY_MS) };
    this.childEvent(child, 'ChildRegistered', this.at(day, T.enterFrom, T.enterTo), {
      schoolId: plan.schoolId,
      grade: child.grade,
      className: `${child.grade}(${random.int(1, 4)})班`,
      gender: random.pick(['female', 'male'] as const),
      birthMonth: `${birthYear}-${String(random.int(1, 12)).padStart(2, '0')}`,
      category,
      parentsAway,
      ...awaySince,
      guardianType,
      personal: this.personal(child),
    });
    this.enter(child, day);
  }

  private personal(child: ChildSim): ChildPersonal {
    const { random, plan } = this;
    const away = child.parentsAway === 'both' ? (['father', 'mother'] as const) : child.parentsAway === 'none' ? [] : [child.parentsAway];
    return {
      name: fictionalName(random),
      ...(random.chance(0.95) ? { homeAddress: `${plan.registered.townshipName}${fictionalPlace(random)}村${random.int(1, 12)}组` } : {}),
      ...(child.guardianType === 'none' ? {} : { guardian: this.guardian(child.guardianType) }),
      ...(away.length > 0 ? { parents: away.map((relation) => this.parent(relation)) } : {}),
      ...(random.chance(0.3) ? { personality: personality(random) } : {}),
      ...(random.chance(0.3) ? { interests: interest(random) } : {}),
    };
  }

  private guardian(type: GuardianType): NonNullable<ChildPersonal['guardian']> {
    const { random } = this;
    return {
      name: fictionalName(random),
      relation: random.pick(RELATION[type]),
      ...(random.chance(0.93) ? { phone: fictionalPhone(random) } : {}),
      ...(type === 'grandparent' ? { age: random.int(55, 82), health: random.pick(['良好', '一般', '较差']), education: random.pick(['小学', '初中', '未上学']) } : {}),
    };
  }

  private parent(relation: 'father' | 'mother'): NonNullable<ChildPersonal['parents']>[number] {
    const { random } = this;
    return {
      relation,
      name: fictionalName(random),
      ...(random.chance(0.9) ? { phone: fictionalPhone(random) } : {}),
      ...(random.chance(0.88) ? { workCity: workCity(random) } : {}),
      ...(random.chance(0.5) ? { employer: employer(random) } : {}),
    };
  }

  private arrive({ child, fromSchoolId }: Arrival): void {
    const day = this.currentDay;
    child.enrollment = 'enrolled';
    this.childEvent(child, 'EnrollmentChanged', this.at(day, T.enterFrom, T.enterTo), {
      change: 'transferred-in',
      schoolId: this.plan.schoolId,
      otherSchoolId: fromSchoolId,
    });
    this.enter(child, day);
  }

  /** The child is (again) in care here: it joins the school's children and waits for a carer. */
  private enter(child: ChildSim, day: number): void {
    this.children.add(child);
    if (!inCare(child)) return;
    if (child.wantsPairing) child.needsPairingFrom = day + this.random.int(1, 14);
    // Care work from the next day: today's may not come before the child is in care.
    if (day + 1 < this.calendar.length) this.planPeriods(child, day + 1, true);
  }

  /** The child stops being in care here: its pairings end with it (INDICATORS.md), some ended explicitly first. */
  private leaveCare(child: ChildSim, occurredMs: number): void {
    for (const pairing of child.pairings) {
      if (this.random.chance(0.3)) this.childEvent(child, 'PairingEnded', occurredMs - 60_000, { pairingId: pairing.pairingId, reason: '不再为帮扶对象' });
      this.release(child, pairing);
    }
    child.needsPairingFrom = Infinity;
    child.needsVolunteerFrom = Infinity;
  }

  private release(child: ChildSim, pairing: PairingSim): void {
    pairing.carer.children.delete(child);
    child.pairings = child.pairings.filter((p) => p !== pairing);
  }

  private leave(child: ChildSim): void {
    child.enrollment = 'away';
    this.children.delete(child);
  }

  private currentDay = 0;

  /** One day of a child's life at this school: at most one unplanned turn (their daily odds are small). */
  private live(child: ChildSim, day: number): void {
    if (child.enrollment !== 'enrolled') return;
    const { random, calendar, plan } = this;
    const schoolDay = calendar.days[day].schoolDay;
    const caredFor = inCare(child);
    let u = random.next();
    if (schoolDay && (u -= DROPOUT_RATE[plan.registered.level] / SCHOOL_DAYS_PER_YEAR) < 0) return this.dropOut(child, day);
    if (schoolDay && (u -= TRANSFER_RATE / SCHOOL_DAYS_PER_YEAR) < 0) return this.transfer(child, day);
    if (child.category === 'left-behind' && child.leftBehindActive && (u -= LEFT_BEHIND_END_RATE * ANNUAL) < 0) return this.endLeftBehind(child, day);
    if (caredFor && (u -= RISK_RATE * ANNUAL) < 0) return this.flag(child, day);
    if (caredFor && (u -= INCIDENT_RATE * ANNUAL) < 0) return this.incident(child, day);
    if ((u -= (child.guardianType === 'none' ? 0.6 : 0.03) * ANNUAL) < 0) return this.changeGuardian(child, day);
    if ((u -= ARCHIVE_UPDATE_RATE * ANNUAL) < 0) return this.updateArchive(child, day);
    if (caredFor) this.planPeriods(child, day, false);
  }

  private dropOut(child: ChildSim, day: number): void {
    const { random } = this;
    const at = this.at(day, T.turnFrom, T.leaveTo);
    this.leaveCare(child, at);
    this.childEvent(child, 'EnrollmentChanged', at, { change: 'dropped-out', schoolId: this.plan.schoolId, reason: random.pick(['厌学', '随父母外出', '家庭困难', '身体原因']) });
    child.enrollment = 'dropped-out';
    if (!random.chance(0.6)) return;
    this.schedule(this.calendar.schoolDayFrom(day + random.int(14, 90)), () => {
      const back = this.currentDay;
      this.childEvent(child, 'EnrollmentChanged', this.at(back, T.enterFrom, T.enterTo), { change: 'returned', schoolId: this.plan.schoolId, reason: '劝返复学' });
      child.enrollment = 'enrolled';
      // A return at another school: this school's `returned`, then a transfer (DOMAIN.md "Rules").
      if (random.chance(0.2) && this.transferWithinCounty(child, back)) return;
      this.enter(child, back);
    });
  }

  private transfer(child: ChildSim, day: number): void {
    if (this.random.chance(0.55) && this.transferWithinCounty(child, day)) return;
    this.transferOutOfCounty(child, day, this.at(day, T.turnFrom, T.leaveTo - 1));
  }

  /** To a later school of the county (one simulated after this one) that teaches the child's grade, if there is one. */
  private transferWithinCounty(child: ChildSim, day: number): boolean {
    const { random, county, plan } = this;
    const teaches = (s: SchoolPlan) => s.index > plan.index && GRADES[s.registered.level][0] <= child.grade && child.grade <= GRADES[s.registered.level][1];
    const later = county.schools.filter(teaches);
    const arrivalDay = this.calendar.schoolDayFrom(day + random.int(1, 7));
    if (later.length === 0 || arrivalDay < 0) return false;
    const sameTownship = later.filter((s) => s.registered.townshipId === plan.registered.townshipId);
    const to = random.pick(sameTownship.length > 0 && random.chance(0.5) ? sameTownship : later);
    const at = this.at(day, T.turnFrom, T.leaveTo);
    this.leaveCare(child, at);
    this.close(child, this.childEvent(child, 'EnrollmentChanged', at, { change: 'transferred-out', schoolId: plan.schoolId, otherSchoolId: to.schoolId }));
    this.leave(child);
    const arrivals = county.arrivals.get(to.index) ?? [];
    county.arrivals.set(to.index, [...arrivals, { child, day: arrivalDay, fromSchoolId: plan.schoolId }]);
    return true;
  }

  private transferOutOfCounty(child: ChildSim, day: number, at: number): void {
    this.leaveCare(child, at);
    const reason = this.random.pick(['随父母迁居', '转入外县学校']);
    this.close(child, this.childEvent(child, 'EnrollmentChanged', at, { change: 'transferred-out', schoolId: this.plan.schoolId, otherSchoolId: this.county.ids.next('outside'), reason }));
    this.leave(child);
    this.maybeErase(child, day);
  }

  private maybeErase(child: ChildSim, day: number): void {
    if (!this.random.chance(0.01)) return;
    this.schedule(day + this.random.int(20, 90), () => {
      this.close(child, this.childEvent(child, 'PersonalDataErased', this.at(this.currentDay, T.turnFrom, T.late), { reason: '监护人申请删除个人信息' }));
    });
  }

  private yearEnd(day: number): void {
    this.currentDay = day;
    const top = GRADES[this.plan.registered.level][1];
    for (const child of [...this.children]) {
      if (child.enrollment !== 'enrolled') continue;
      const at = this.at(day, T.turnFrom, T.turnFrom + 120);
      if (child.grade >= top) {
        this.leaveCare(child, at);
        this.close(child, this.childEvent(child, 'EnrollmentChanged', at, { change: 'graduated', schoolId: this.plan.schoolId }));
        this.leave(child);
        this.maybeErase(child, day);
      } else {
        this.childEvent(child, 'EnrollmentChanged', at, { change: 'promoted', schoolId: this.plan.schoolId });
        child.grade += 1;
      }
    }
  }

  private endLeftBehind(child: ChildSim, day: number): void {
    const { random } = this;
    const reason = random.weighted([['parents-returned', 50], ['parent-nearby', 30], ['moved-with-parents', 20]] as const);
    const at = this.at(day, T.turnFrom, T.leaveTo - 1);
    this.leaveCare(child, at);
    this.childEvent(child, 'LeftBehindStatusEnded', at, { reason });
    child.leftBehindActive = false;
    if (reason === 'moved-with-parents') return this.transferOutOfCounty(child, day, at + 60_000);
    if (!random.chance(0.3)) return;
    this.schedule(day + random.int(60, 240), () => {
      if (child.enrollment !== 'enrolled' || !this.children.has(child)) return;
      const again = this.currentDay;
      const parentsAway = random.weighted([['both', 50], ['father', 35], ['mother', 15]] as const);
      this.childEvent(child, 'LeftBehindStatusResumed', this.at(again, T.enterFrom, T.enterTo), { parentsAway, awaySince: this.calendar.days[again].date });
      child.parentsAway = parentsAway;
      child.leftBehindActive = true;
      this.enter(child, again);
    });
  }

  private flag(child: ChildSim, day: number): void {
    const { random } = this;
    const flag = random.weighted(FLAGS);
    if (child.openFlags.includes(flag)) return;
    this.childEvent(child, 'RiskFlagged', this.at(day, T.turnFrom, T.late), { flag });
    child.openFlags.push(flag);
    if (random.chance(0.5) && child.needsVolunteerFrom === Infinity && !child.pairings.some((p) => p.carer.volunteer)) {
      child.needsVolunteerFrom = day + random.int(3, 20);
    }
    if (!random.chance(0.55)) return;
    this.schedule(day + random.int(20, 200), () => {
      if (child.enrollment === 'away' || !child.openFlags.includes(flag)) return;
      this.childEvent(child, 'RiskCleared', this.at(this.currentDay, T.turnFrom, T.late), { flag });
      child.openFlags = child.openFlags.filter((f) => f !== flag);
    });
  }

  private incident(child: ChildSim, day: number): void {
    const { random, calendar } = this;
    const incidentId = this.county.ids.next('incident');
    const severity = random.weighted([['low', 45], ['medium', 35], ['high', 15], ['critical', 5]] as const);
    const at = this.at(day, T.turnFrom, T.late);
    this.childEvent(child, 'IncidentReported', at, {
      incidentId,
      kind: random.weighted([['illness', 35], ['injury', 30], ['accident', 10], ['bullying', 10], ['missing', 5], ['abuse', 2], ['other', 8]] as const),
      severity,
      ...(random.chance(0.6) ? { personal: { description: random.pick(['课间摔倒擦伤', '发烧送医', '放学未按时到家', '与同学发生冲突', '溺水险情']) } } : {}),
    });
    const endMs = calendar.ms(calendar.length, 0);
    const notify = (party: 'guardian' | 'parents' | 'education-bureau' | 'township-government', deadline: number, onTime: number) => {
      const delay = random.chance(onTime) ? random.int(3, deadline) : random.int(deadline + 1, deadline * 8);
      const notifiedAt = at + delay * 60_000;
      if (notifiedAt < endMs) this.childEvent(child, 'IncidentPartyNotified', notifiedAt, { incidentId, party });
    };
    if (random.chance(0.97)) notify('guardian', 30, 0.85);
    if (child.parentsAway !== 'none' ? random.chance(0.9) : random.chance(0.3)) notify('parents', 60, 0.85);
    const serious = severity === 'high' || severity === 'critical' ? 0.9 : severity === 'medium' ? 0.4 : 0.1;
    if (random.chance(serious)) notify('education-bureau', 120, 0.8);
    if (random.chance(serious)) notify('township-government', 120, 0.75);
    if (!random.chance(0.85)) return;
    this.schedule(day + random.int(1, 40), () => {
      if (child.enrollment === 'away') return;
      this.childEvent(child, 'IncidentResolved', this.at(this.currentDay, T.turnFrom, T.late), { incidentId, outcome: random.pick(['已康复', '已妥善处理', '已找回', '双方和解']) });
    });
  }

  private changeGuardian(child: ChildSim, day: number): void {
    const { random } = this;
    const guardianType: GuardianType =
      child.guardianType === 'none'
        ? random.weighted([['relative', 60], ['entrusted', 30], ['grandparent', 10]] as const)
        : random.weighted([['grandparent', 40], ['relative', 40], ['entrusted', 15], ['none', 5]] as const);
    if (guardianType === child.guardianType) return;
    child.guardianType = guardianType;
    this.childEvent(child, 'GuardianshipChanged', this.at(day, T.turnFrom, T.late), {
      guardianType,
      ...(guardianType === 'none' ? {} : { personal: { guardian: this.guardian(guardianType) } }),
    });
  }

  private updateArchive(child: ChildSim, day: number): void {
    const { random } = this;
    const at = this.at(day, T.turnFrom, T.late);
    const away = child.parentsAway === 'both' ? (['father', 'mother'] as const) : child.parentsAway === 'none' ? [] : [child.parentsAway];
    if (away.length > 0 && random.chance(0.6)) {
      this.childEvent(child, 'ArchiveUpdated', at, { personal: { parents: away.map((relation) => this.parent(relation)) } });
    } else if (child.guardianType !== 'none' && random.chance(0.6)) {
      this.childEvent(child, 'ArchiveUpdated', at, { personal: { guardian: { ...this.guardian(child.guardianType), phone: fictionalPhone(random) } } });
    } else {
      this.childEvent(child, 'ArchiveUpdated', at, { className: `${child.grade}(${random.int(1, 4)})班` });
    }
  }

  // ---- pairing ----

  private pair(day: number): void {
    for (const child of this.children) {
      if (!inCare(child)) continue;
      if (child.needsPairingFrom <= day && !child.pairings.some((p) => !p.carer.volunteer)) this.pairWith(child, day, this.teachers);
      if (child.needsVolunteerFrom <= day && child.openFlags.length > 0 && !child.pairings.some((p) => p.carer.volunteer)) this.pairWith(child, day, this.volunteers);
    }
  }

  private pairWith(child: ChildSim, day: number, carers: readonly CarerSim[]): void {
    const { random } = this;
    const free = (carer: CarerSim) => carer.since <= day && !carer.retired && carer.children.size < carer.cap && (carer.retireDay < 0 || carer.retireDay > day);
    let carer: CarerSim | undefined;
    for (let attempt = 0; attempt < 8 && !carer; attempt++) {
      const candidate = random.pick(carers);
      if (candidate && free(candidate)) carer = candidate;
    }
    carer ??= carers.find(free);
    if (!carer) return;
    const pairingId = this.county.ids.next('pairing');
    this.childEvent(child, 'PairingStarted', this.at(day, T.pairFrom, T.pairTo), { pairingId, carerId: carer.carerId, role: carer.role });
    carer.children.add(child);
    child.pairings = [...child.pairings, { pairingId, carer }];
    if (carer.volunteer) child.needsVolunteerFrom = Infinity;
    else child.needsPairingFrom = Infinity;
  }

  // ---- care work ----

  /**
   * Schedules the care work of the periods starting today (or, on entering care, of the periods
   * under way): a talk a week, guardian contact a month, a home visit and aid a semester, a health
   * check and a parent meeting a year, family calls, each as often as the school manages.
   */
  private planPeriods(child: ChildSim, day: number, entering: boolean): void {
    const { calendar, random, plan } = this;
    const c = plan.compliance;
    const extra = this.county.options.extraCare;
    const today = calendar.days[day];
    const within = (from: number, to: number) => random.int(from, Math.max(from, to));
    const schoolDayWithin = (from: number, to: number) => {
      const d = calendar.schoolDayFrom(within(from, to), 5);
      return d >= 0 && d <= to + 3 ? d : -1;
    };
    if (today.weekday === 1 || entering) {
      const friday = Math.min(day + 5 - today.weekday, calendar.length - 1);
      const sunday = Math.min(day + 7 - today.weekday, calendar.length - 1);
      if (random.chance(c.talk)) this.activity(child, schoolDayWithin(day, friday), 'talk', 12 * 60, [15, 45]);
      if (random.chance(0.45 * extra)) this.activity(child, schoolDayWithin(day, friday), 'tutoring', 16 * 60, [30, 90]);
      // Calls home twice a week where the school keeps it up (the care home's family phone for some).
      for (let call = 0; call < 2 && child.parentsAway !== 'none'; call++) {
        if (random.chance(c.familyContact * 0.5 * (call === 0 ? 1 : extra))) this.activity(child, within(day, sunday), random.chance(0.6) ? 'family-call' : 'video-call', 17 * 60, [5, 30], random.chance(0.35));
      }
    }
    if (today.dayOfMonth === 1 || entering) {
      const monthEnd = calendar.monthEnd[day];
      if (random.chance(c.contact)) this.activity(child, within(day, monthEnd), 'guardian-contact', 17 * 60, [5, 20]);
      if (random.chance(0.4 * extra)) this.activity(child, schoolDayWithin(day, monthEnd), 'group-activity', 15 * 60, [45, 120], random.chance(0.5));
      if (child.openFlags.includes('psychological') && random.chance(0.7)) this.activity(child, schoolDayWithin(day, monthEnd), 'counselling', 15 * 60, [30, 60]);
      if ((today.month === 6 || today.month === 12) && random.chance(0.8)) this.activity(child, schoolDayWithin(day, monthEnd), 'safety-education', 14 * 60, [30, 45]);
    }
    if (((today.month === 9 || today.month === 2) && today.dayOfMonth === 1) || entering) {
      const semesterEnd = calendar.termEnd[day];
      if (random.chance(c.homeVisit)) this.activity(child, within(day, semesterEnd), 'home-visit', 11 * 60, [30, 90]);
      if (child.openFlags.length > 0 && random.chance(c.homeVisit)) this.activity(child, within(day, semesterEnd), 'home-visit', 11 * 60, [30, 90]);
      if (random.chance(c.aid * (child.poor ? 1 : 0.35))) this.activity(child, within(day, semesterEnd), 'aid', 11 * 60, null);
    }
    if ((today.month === 9 && today.dayOfMonth === 1) || entering) {
      const checkFrom = entering ? day : day + this.healthCheckDay;
      if (checkFrom < calendar.length && random.chance(c.healthCheck)) this.activity(child, schoolDayWithin(checkFrom, Math.min(checkFrom + 20, calendar.length - 1)), 'health-check', 10 * 60, null);
      const festival = calendar.festivalAhead(day);
      if (festival >= 0 && child.parentsAway !== 'none' && random.chance(c.parentMeeting)) {
        this.activity(child, within(festival, Math.min(festival + 20, calendar.length - 1)), 'parent-meeting', 14 * 60, [60, 180]);
      }
      if (random.chance(0.01)) this.activity(child, within(day, Math.min(day + 300, calendar.length - 1)), 'legal-aid', 15 * 60, [30, 60]);
    }
  }

  private activity(child: ChildSim, day: number, kind: ActivityKind, around: number, minutes: readonly [number, number] | null, atHome = false): void {
    if (day < 0) return;
    this.schedule(day, () => {
      if (!inCare(child) || !this.children.has(child)) return;
      const { random, plan } = this;
      const volunteer = child.pairings.find((p) => p.carer.volunteer);
      const teacher = child.pairings.find((p) => !p.carer.volunteer);
      const carer = volunteer && (random.chance(0.35) || !teacher) ? volunteer : teacher;
      const occurredMs = this.at(day, around - 60, around + 60);
      const emitted = this.childEvent(child, 'CareActivityRecorded', occurredMs, {
        activityId: this.county.ids.next('activity'),
        kind,
        ...(carer && kind !== 'health-check' ? { carerId: carer.carer.carerId } : {}),
        ...(minutes ? { minutes: random.int(minutes[0], minutes[1]) } : {}),
        ...(kind === 'aid' ? { amountYuan: random.weighted(AID_YUAN), items: aidItems(random) } : {}),
        ...(atHome && plan.homeId && day > this.homeSince ? { homeId: plan.homeId } : {}),
        ...((kind === 'talk' || kind === 'home-visit' || kind === 'counselling') && random.chance(0.25) ? { personal: { notes: careNote(random) } } : {}),
      }, random.chance(LATE_SHARE));
      if (!random.chance(VOID_SHARE)) return;
      const data = emitted.event.data as { activityId: string };
      const voidDay = Math.floor((emitted.recordedMs - this.calendar.startMs) / DAY_MS) + random.int(1, 10);
      this.schedule(voidDay, () => this.childEvent(child, 'CareActivityVoided', this.at(voidDay, T.turnFrom, T.late), { activityId: data.activityId, reason: random.pick(['重复录入', '记录有误']) }));
    });
  }
}
