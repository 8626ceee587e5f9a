/**
 * A school given by the caller instead of made up (the demo county's schools with accounts): its
 * id, name and township are kept as given; `children` sets its size (a village school of three
 * children is a small cell).
 */
export interface NamedSchool {
  readonly schoolId: string;
  readonly name: string;
  readonly townshipId: string;
  readonly townshipName: string;
  readonly level: 'primary' | 'junior-secondary' | 'nine-year' | 'senior-secondary';
  readonly boarding: boolean;
  /** New children registered here over the history; default: a share of `children` like any school. */
  readonly children?: number;
}

/** What a synthetic county is sized and dated by. */
export interface CountyOptions {
  readonly seed: number;
  /** Children ever registered in the county (besides moves between its schools). */
  readonly children: number;
  /** Months of history. */
  readonly months: number;
  /** Last day of the history, county-local `YYYY-MM-DD` (the generator reads no clock). */
  readonly end: string;
  /** Default: one school per 250 children. */
  readonly schools?: number;
  /** Default: one township per 8 schools. */
  readonly townships?: number;
  readonly countyId?: string;
  readonly countyName?: string;
  /** The county's maximum load per carer (`MAX_CARER_LOAD`, default 3): no carer is paired above it. */
  readonly maxCarerLoad?: number;
  /** Schools' systems upload their records every this many days (default 1: each evening). */
  readonly uploadEveryDays?: number;
  /**
   * How much care work beyond the 五个一 and the family contact the indicators count (tutoring,
   * group activities, a second call home a week), as a share of the seeds' practice: default 1;
   * the demo county keeps a quarter, so that it is recorded within its first start.
   */
  readonly extraCare?: number;
  /** The first schools, as given (their townships count among `townships`); the others are made up. */
  readonly namedSchools?: readonly NamedSchool[];
}

export type ResolvedCountyOptions = Required<CountyOptions>;

export function resolveCountyOptions(options: CountyOptions): ResolvedCountyOptions {
  const share = (value: number, name: string) => {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${name}: a share from 0 to 1`);
    return value;
  };
  const positive = (value: number, name: string) => {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name}: a positive integer`);
    return value;
  };
  const children = positive(options.children, 'children');
  const schools = positive(options.schools ?? Math.max(1, Math.round(children / 250)), 'schools');
  const named = options.namedSchools ?? [];
  if (named.length > schools) throw new RangeError('namedSchools: more than schools');
  const namedChildren = named.reduce((sum, school) => sum + (school.children ?? 0), 0);
  if (namedChildren > children) throw new RangeError('namedSchools: more children than children');
  return {
    seed: options.seed,
    children,
    months: positive(options.months, 'months'),
    end: options.end,
    schools,
    townships: Math.min(schools, positive(options.townships ?? Math.max(1, Math.round(schools / 8)), 'townships')),
    countyId: options.countyId ?? 'synthetic-county',
    countyName: options.countyName ?? '示例县',
    maxCarerLoad: positive(options.maxCarerLoad ?? 3, 'maxCarerLoad'),
    uploadEveryDays: positive(options.uploadEveryDays ?? 1, 'uploadEveryDays'),
    namedSchools: options.namedSchools ?? [],
    extraCare: share(options.extraCare ?? 1, 'extraCare'),
  };
}
