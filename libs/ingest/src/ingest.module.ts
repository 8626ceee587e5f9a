import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { Accounts, LoginThrottle } from '@lbc/accounts';
import { HealthModule } from '@lbc/event-stream';
import { AccessLog } from '@lbc/personal-data';
import { AccessTokenGuard, CLOCK, CONFIG, EVENT_STORE, LOGGER, POOL, TOKEN_ALGORITHM, VAULT } from '@lbc/http';
import { AuthController } from './auth/auth.controller';
import { ChildrenController } from './children/children.controller';
import { GetChildFileHandler } from './children/get-child-file.handler';
import { CarerPairings } from './events/carer-pairings';
import { EventRecorder } from './events/event-recorder';
import { EventsController } from './events/events.controller';
import { RecordEventsHandler } from './events/record-events.handler';
import { SubjectStreams } from './events/subject-streams';
import { ChildFormsController, SchoolFormsController } from './forms/forms.controller';
import { FormSubmitter } from './forms/form-submitter';
import type { IngestDependencies } from './ingest-dependencies';
import { IngestMetrics } from './observability/metrics';
import { ObservabilityController } from './observability/observability.controller';
import { RosterController } from './roster/roster.controller';
import { RosterImporter } from './roster/roster-importer';
import { AccountChangesController } from './users/account-changes.controller';
import { CreateUserHandler } from './users/create-user.handler';
import { ListAccountChangesHandler } from './users/list-account-changes.handler';
import { ListUsersHandler } from './users/list-users.handler';
import { SchoolCounty } from './users/school-county';
import { UpdateUserHandler } from './users/update-user.handler';
import { UsersController } from './users/users.controller';

/** The school ingest API as a Nest module; the platform app composes it with the others. */
@Module({})
export class IngestModule {
  static register(deps: IngestDependencies): DynamicModule {
    const clock = deps.clock ?? (() => new Date());
    const { component = 'ingest', lag, kafkaTopic, kafka } = deps.health ?? {};
    const health = HealthModule.forRoot({
      component,
      dependencies: { database: () => deps.pool.query('SELECT 1'), eventStore: () => deps.eventStore.headCheckpoint(), ...(kafka ? { kafka } : {}) },
      lag,
      kafkaTopic,
    });
    return {
      module: IngestModule,
      imports: [CqrsModule.forRoot(), health, JwtModule.register({ secret: deps.config.JWT_SECRET, signOptions: { algorithm: TOKEN_ALGORITHM }, verifyOptions: { algorithms: [TOKEN_ALGORITHM] } })],
      controllers: [AuthController, EventsController, ChildrenController, ChildFormsController, SchoolFormsController, RosterController, UsersController, AccountChangesController, ObservabilityController],
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: POOL, useValue: deps.pool },
        { provide: EVENT_STORE, useValue: deps.eventStore },
        { provide: VAULT, useValue: deps.vault },
        { provide: LOGGER, useValue: deps.logger },
        { provide: CLOCK, useValue: clock },
        { provide: Accounts, useValue: deps.accounts },
        { provide: LoginThrottle, useValue: new LoginThrottle(deps.pool) },
        { provide: AccessLog, useValue: new AccessLog(deps.pool, clock) },
        { provide: IngestMetrics, useValue: new IngestMetrics() },
        { provide: SubjectStreams, useValue: new SubjectStreams(deps.eventStore, deps.config.INGEST_STREAM_CACHE) },
        { provide: CarerPairings, useValue: new CarerPairings(deps.pool, deps.eventStore) },
        {
          provide: EventRecorder,
          inject: [SubjectStreams, CarerPairings, IngestMetrics],
          useFactory: (streams: SubjectStreams, pairings: CarerPairings, metrics: IngestMetrics) =>
            new EventRecorder({ store: deps.eventStore, streams, pairings, vault: deps.vault, maxCarerLoad: deps.config.MAX_CARER_LOAD, clock, metrics }),
        },
        RecordEventsHandler,
        GetChildFileHandler,
        RosterImporter,
        FormSubmitter,
        SchoolCounty,
        CreateUserHandler,
        UpdateUserHandler,
        ListUsersHandler,
        ListAccountChangesHandler,
        { provide: APP_GUARD, useClass: AccessTokenGuard },
      ],
      exports: [SubjectStreams, CarerPairings, IngestMetrics],
    };
  }
}
