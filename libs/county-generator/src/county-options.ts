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
}

export type ResolvedCountyOptions = Required<CountyOptions>;

export function resolveCountyOptions(options: CountyOptions): ResolvedCountyOptions {
  const positive = (value: number, name: string) => {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name}: a positive integer`);
    return value;
  };
  const children = positive(options.children, 'children');
  const schools = positive(options.schools ?? Math.max(1, Math.round(children / 250)), 'schools');
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
  };
}
