import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ChildrenInCareController } from './children-in-care.controller';
import { READ_MODELS, READ_MODELS_CLOCK } from './read-models.tokens';

export interface ReadModelsHttpOptions {
  /** The live read-model schema (`openReadModels`). */
  readonly readModels: DataSource;
  /** Today's date comes from here (the default `asOf`). */
  readonly clock?: () => Date;
}

/** Mounts the read-only read-model endpoints; the app owns the data source's lifetime. */
@Module({})
export class ReadModelsHttpModule {
  static forRoot(options: ReadModelsHttpOptions): DynamicModule {
    return {
      module: ReadModelsHttpModule,
      controllers: [ChildrenInCareController],
      providers: [
        { provide: READ_MODELS, useValue: options.readModels },
        { provide: READ_MODELS_CLOCK, useValue: options.clock ?? (() => new Date()) },
      ],
    };
  }
}
