import { Inject, Injectable } from '@nestjs/common';
import type { Session } from '@lbc/http';
import type { Cell, CountyPattern, Hidden, UnitMeasures } from '@lbc/domain';
import { countyPattern, hiddenIn, NO_MEASURES, NOTHING_HIDDEN } from '@lbc/domain';
import type { CountyFigures, CountyUnit, Scope } from '@lbc/read-models';
import { countyFiguresSeries, dataAsOf } from '@lbc/read-models';
import type { DataSource, EntityManager } from 'typeorm';
import { READ_MODELS, STATISTICS_SETTINGS } from '../read-api.tokens';
import { measuresOf } from './measures-of';
import { ScopeAccess } from './scope-access';
import type { StatisticsPeriod } from './statistics-params';

export interface StatisticsSettings {
  /** `MAX_CARER_LOAD`: carers above it count in `carerLoad.overLimit`. */
  readonly maxCarerLoad: number;
  /** `SUPPRESSION_K`: counts from 1 to k−1 are hidden from county roles. */
  readonly k: number;
}

/** One county's figures for one period, ready to show: each unit's counts and hidden cells. */
export interface CountySnapshot {
  readonly period: StatisticsPeriod;
  /** The schools registered in the county by then, with their townships. */
  readonly units: readonly CountyUnit[];
  /** A unit registered after the period (early points of a series) counts zero everywhere. */
  measuresOf(scope: Scope): UnitMeasures;
  hiddenIn(scope: Scope): Hidden;
}

export interface CountyReading {
  /** `recordedAt` of the newest event the read models hold; null while they hold none. */
  readonly dataAsOf: string | null;
  /** One per period asked for, in order. */
  readonly snapshots: readonly CountySnapshot[];
}

/**
 * Reads a county's figures (`countyFiguresSeries` of the read models) and, for a suppressed
 * caller, computes the suppression pattern of the cells shown once per county and period, so that
 * every view made from a snapshot (the county, a township, a school, a breakdown row, a point of a
 * series) hides the same cells. Figures and `dataAsOf` come from one repeatable-read transaction:
 * the freshness stated is the freshness of the figures.
 */
@Injectable()
export class CountyStatistics {
  constructor(
    private readonly access: ScopeAccess,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(STATISTICS_SETTINGS) private readonly settings: StatisticsSettings,
  ) {}

  /**
   * The figures of the county of `scope` as `actor` may read them (`ScopeAccess`: refused with
   * 403/404, or granted suppressed or exact); `cells` are those the view shows.
   */
  async readFor(actor: Session, scope: Scope, periods: readonly StatisticsPeriod[], cells: readonly Cell[]): Promise<CountyReading> {
    const grant = await this.access.grant(actor, scope);
    return this.read(grant.countyId, periods, grant.suppressed ? cells : null);
  }

  /** `hidden`: the cells whose pattern is needed (those shown), or null for an exact view. */
  private read(countyId: string, periods: readonly StatisticsPeriod[], hidden: readonly Cell[] | null): Promise<CountyReading> {
    return this.readModels.transaction('REPEATABLE READ', async (manager) => {
      const figures = await this.figures(manager, countyId, periods);
      return { dataAsOf: await dataAsOf(manager), snapshots: periods.map((period, i) => this.snapshotOf(figures[i], period, hidden)) };
    });
  }

  /** Periods sharing `from` (and so the period indicators' start) are read in one pass. */
  private async figures(manager: EntityManager, countyId: string, periods: readonly StatisticsPeriod[]): Promise<CountyFigures[]> {
    const byFrom = new Map<string, number[]>();
    periods.forEach((period, i) => byFrom.set(period.from, [...(byFrom.get(period.from) ?? []), i]));
    const figures = new Array<CountyFigures>(periods.length);
    for (const indexes of byFrom.values()) {
      const last = periods[indexes[indexes.length - 1]];
      const request = { countyId, ...last, maxCarerLoad: this.settings.maxCarerLoad };
      const read = await countyFiguresSeries(manager, request, indexes.map((i) => periods[i].asOf));
      indexes.forEach((periodIndex, i) => (figures[periodIndex] = read[i]));
    }
    return figures;
  }

  private snapshotOf(figures: CountyFigures, period: StatisticsPeriod, hidden: readonly Cell[] | null): CountySnapshot {
    const townships = new Map([...figures.townships].map(([id, unit]) => [id, measuresOf(unit)]));
    const schools = new Map([...figures.schools].map(([id, unit]) => [id, measuresOf(unit)]));
    const county = measuresOf(figures.county);
    const pattern: CountyPattern | null = hidden === null ? null : countyPattern({ layout: { schools: figures.units }, townships, schools }, hidden, this.settings.k);
    return {
      period,
      units: figures.units,
      measuresOf: (scope) => (scope.kind === 'county' ? county : ((scope.kind === 'township' ? townships : schools).get(scope.id) ?? NO_MEASURES)),
      hiddenIn: (scope) => (pattern === null ? NOTHING_HIDDEN : hiddenIn(pattern, scope)),
    };
  }
}
