import type { RunningPostgres } from '@lbc/postgres';

/** One measured figure. */
export interface BenchRow {
  readonly bench: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

/** What the runner hands to every bench: one PostgreSQL server for the whole run. */
export interface BenchContext {
  readonly postgres: RunningPostgres;
  /** A fresh, empty database on that server; its connection string. */
  createDatabase(label: string): Promise<string>;
  log(message: string): void;
}

/** A module `test/bench/*.bench.ts` exports `bench` of this shape; the runner finds it by file name. */
export interface Bench {
  readonly name: string;
  run(context: BenchContext): Promise<BenchRow[]>;
}
