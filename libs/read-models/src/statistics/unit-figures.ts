import type { CadenceFigures, FigureGroups, GuardianType } from '@lbc/domain';

/**
 * One unit's (school, township or county) raw counts for every indicator of INDICATORS.md:
 * the numerators and denominators from which the shares are formed, before any suppression.
 * Shares, nulls and `*` are made from these by the statistics API, never by SQL. Incidents'
 * `withinDeadline` are counts of the incidents counted, not shares.
 */
export interface UnitFigures extends FigureGroups<number, number> {
  readonly childrenInCare: number;
  readonly leftBehindChildren: number;
  readonly pupils: number;
  /** Children in care whose archive at asOf is complete (INDICATORS.md `archiveCompleteness`). */
  readonly archiveComplete: number;
  /** Children in care with ≥ 1 active pairing (`pairingCoverage` numerator, `careCadence.paired`). */
  readonly paired: number;
  /** Over carers with ≥ 1 active pairing of a child of the unit. */
  readonly carerLoad: { readonly carers: number; readonly pairings: number; readonly max: number; readonly overLimit: number };
  readonly guardianNotNone: number;
  readonly guardianshipByType: Readonly<Record<GuardianType, number>>;
  /** Counts among the paired children in care. */
  readonly careCadence: CadenceFigures<number>;
  readonly familyContact30d: number;
  /** `cohort`: enrolled in the unit at any time of the school year up to asOf; `droppedOut`: of them, dropped out in that year and not returned by asOf. */
  readonly dropout: { readonly cohort: number; readonly droppedOut: number };
  readonly returnedAfterDropout: number;
  readonly healthChecked: number;
  /** `children`: in care with an open risk flag; `paired`: of them, with an active pairing. */
  readonly keyAssistance: { readonly children: number; readonly paired: number };
}

export interface CountyFiguresRequest {
  readonly countyId: string;
  /** County-local date: figures as of the end of that day. */
  readonly asOf: string;
  /** County-local date: start of the period indicators (default chosen by the caller). */
  readonly from: string;
  /** ISO-8601 instant, or null: leave out everything recorded after it. */
  readonly recordedBy: string | null;
  /** The county's maximum carer load (`carerLoad.overLimit`). */
  readonly maxCarerLoad: number;
}

/** A registered school of a county, as registered by the cut-off. */
export interface CountyUnit {
  readonly schoolId: string;
  readonly schoolName: string;
  readonly townshipId: string;
  readonly townshipName: string;
}

/**
 * Every figure of one county as of one date: the county itself, each township and each school
 * registered in it (zeros included). Distinct counts (carers, volunteers, children served, the
 * dropout cohort) are counted per unit, so a unit's figure is not always the sum of its parts.
 */
export interface CountyFigures {
  readonly countyId: string;
  readonly units: readonly CountyUnit[];
  readonly county: UnitFigures;
  readonly townships: ReadonlyMap<string, UnitFigures>;
  readonly schools: ReadonlyMap<string, UnitFigures>;
}
