import type { SchoolRegisteredData } from '@lbc/domain';
import type { ResolvedCountyOptions } from './county-options';
import { fictionalPlace } from './fictional-names';
import type { Ids } from './ids';
import type { Random } from './random';

export type SchoolLevel = SchoolRegisteredData['level'];

/** How diligently a school keeps the 五个一 and the rest: shares of the expected work it does. */
export interface Compliance {
  readonly talk: number;
  readonly contact: number;
  readonly homeVisit: number;
  readonly aid: number;
  readonly parentMeeting: number;
  readonly healthCheck: number;
  readonly familyContact: number;
  /** Share of its children the school pairs with a carer. */
  readonly pairing: number;
}

export interface SchoolPlan {
  readonly index: number;
  readonly schoolId: string;
  readonly registered: SchoolRegisteredData;
  /** New children registered here over the history (moves in from the county's other schools come on top). */
  readonly quota: number;
  readonly homeId: string | null;
  readonly recordedBy: string;
  readonly uploadPhase: number;
  /** Minute of the day (county-local) of the school's upload. */
  readonly uploadMinute: number;
  readonly compliance: Compliance;
}

const LEVELS: readonly (readonly [SchoolLevel, number])[] = [
  ['primary', 65],
  ['junior-secondary', 20],
  ['nine-year', 10],
  ['senior-secondary', 5],
];
const SUFFIX: Readonly<Record<SchoolLevel, string>> = {
  primary: '小学',
  'junior-secondary': '初级中学',
  'nine-year': '九年制学校',
  'senior-secondary': '高级中学',
};

export const GRADES: Readonly<Record<SchoolLevel, readonly [number, number]>> = {
  primary: [1, 6],
  'junior-secondary': [7, 9],
  'nine-year': [1, 9],
  'senior-secondary': [10, 12],
};

/** Townships and their schools, with sizes that vary threefold and diligence that varies by school. */
export function planCounty(options: ResolvedCountyOptions, ids: Ids, random: Random): SchoolPlan[] {
  const named = options.namedSchools;
  const namedTownships = [...new Map(named.map((s) => [s.townshipId, { townshipId: s.townshipId, townshipName: s.townshipName }])).values()];
  const townships = [
    ...namedTownships,
    ...Array.from({ length: Math.max(0, options.townships - namedTownships.length) }, (_, i) => ({
      townshipId: ids.next('township'),
      townshipName: `${fictionalPlace(random)}${i === 0 && namedTownships.length === 0 ? '街道' : '镇'}`,
    })),
  ];
  const weights = Array.from({ length: options.schools }, () => random.between(0.5, 1.5));
  const sized = weights.map((weight, index) => (named[index]?.children === undefined ? weight : 0));
  const total = sized.reduce((sum, w) => sum + w, 0);
  const shared = options.children - named.reduce((sum, school) => sum + (school.children ?? 0), 0);
  const last = sized.reduce((at, w, index) => (w > 0 ? index : at), -1);
  let assigned = 0;
  const names = new Set<string>(named.map((school) => school.name));
  return weights.map((weight, index) => {
    const given = named[index];
    const township = given ? { townshipId: given.townshipId, townshipName: given.townshipName } : townships[index % townships.length];
    const level = given?.level ?? (index < townships.length ? 'primary' : random.weighted(LEVELS));
    let quota = given?.children ?? (index === last ? shared - assigned : Math.round((shared * weight) / total));
    if (given?.children === undefined) assigned += quota;
    quota = Math.max(0, quota);
    let name = given?.name ?? `${township.townshipName.slice(0, 2)}${index < townships.length ? '中心' : fictionalPlace(random)}${SUFFIX[level]}`;
    while (!given && names.has(name)) name = `${township.townshipName.slice(0, 2)}${fictionalPlace(random)}${SUFFIX[level]}`;
    names.add(name);
    const diligence = random.between(0.5, 0.98);
    const near = (spread: number) => Math.min(0.99, Math.max(0.2, diligence + random.between(-spread, spread)));
    const boarding = level !== 'primary' && random.chance(0.6);
    return {
      index,
      schoolId: given?.schoolId ?? ids.next('school'),
      registered: { name, countyId: options.countyId, countyName: options.countyName, ...township, level, boarding: given?.boarding ?? boarding },
      quota,
      // Each township's central school keeps a care home (留守儿童之家); a few others do too.
      homeId: index < townships.length || random.chance(0.1) ? ids.next('home') : null,
      recordedBy: ids.next('user'),
      uploadPhase: random.int(0, options.uploadEveryDays - 1),
      uploadMinute: random.int(17 * 60 + 30, 21 * 60),
      compliance: {
        talk: near(0.1),
        contact: near(0.15),
        homeVisit: near(0.15),
        aid: near(0.2),
        parentMeeting: near(0.2),
        healthCheck: Math.min(0.995, random.between(0.82, 1)),
        familyContact: near(0.2),
        pairing: Math.min(1, random.between(0.8, 1.05)),
      },
    };
  });
}
