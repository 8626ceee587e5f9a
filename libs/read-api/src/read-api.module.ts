import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ChildrenInCareController } from './children-in-care/children-in-care.controller';
import { GetChildrenInCareHandler } from './children-in-care/get-children-in-care.handler';
import { AccessLog } from '@lbc/personal-data';
import { CheckReportHandler } from './report-check/check-report.handler';
import { ReportCheckController } from './report-check/report-check.controller';
import { PersonalNames } from './school-lists/personal-names';
import { ListSchoolRegisterHandler } from './school-lists/list-school-register.handler';
import { GetSchoolWorklistHandler } from './school-lists/get-school-worklist.handler';
import { ListSchoolChildrenHandler } from './school-lists/list-school-children.handler';
import { SchoolListReader } from './school-lists/school-list-reader';
import { SchoolListsController } from './school-lists/school-lists.controller';
import { CountyStatistics } from './statistics/county-statistics';
import { GetStatisticsBreakdownHandler } from './statistics/get-statistics-breakdown.handler';
import { GetStatisticsSeriesHandler } from './statistics/get-statistics-series.handler';
import { GetStatisticsHandler } from './statistics/get-statistics.handler';
import { ScopeAccess } from './statistics/scope-access';
import { StatisticsController } from './statistics/statistics.controller';
import type { ReadApiDependencies } from './read-api-dependencies';
import { CLOCK, EVENT_STORE, VAULT } from '@lbc/http';
import { READ_MODELS, STATISTICS_SETTINGS } from './read-api.tokens';
import type { StatisticsSettings } from './statistics/county-statistics';

/**
 * Every read-side endpoint (county statistics, children in care, the school lists), mounted into
 * the ingest app (`createIngestApp(deps, [ReadApiModule.forRoot(deps)])`): it shares the ingest's
 * access-token guard, `CqrsModule`, problem-details filter and OpenAPI document, and validates
 * every query the same way (`validate` of `@lbc/http`).
 */
@Module({})
export class ReadApiModule {
  static forRoot(deps: ReadApiDependencies): DynamicModule {
    const settings: StatisticsSettings = { maxCarerLoad: deps.config.MAX_CARER_LOAD, k: deps.config.SUPPRESSION_K };
    return {
      module: ReadApiModule,
      controllers: [StatisticsController, ChildrenInCareController, SchoolListsController, ReportCheckController],
      providers: [
        { provide: READ_MODELS, useValue: deps.readModels },
        { provide: EVENT_STORE, useValue: deps.eventStore },
        { provide: VAULT, useValue: deps.vault },
        { provide: CLOCK, useValue: deps.clock ?? (() => new Date()) },
        { provide: AccessLog, useValue: new AccessLog(deps.pool, deps.clock) },
        { provide: STATISTICS_SETTINGS, useValue: settings },
        ScopeAccess,
        CountyStatistics,
        GetStatisticsHandler,
        GetStatisticsSeriesHandler,
        GetStatisticsBreakdownHandler,
        GetChildrenInCareHandler,
        PersonalNames,
        SchoolListReader,
        ListSchoolChildrenHandler,
        GetSchoolWorklistHandler,
        ListSchoolRegisterHandler,
        CheckReportHandler,
      ],
    };
  }
}
