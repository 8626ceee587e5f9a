import type { RunningPostgres } from '@lbc/postgres';

/** What a figure must reach: at least or at most `value` (of the ratio when the row has a reference). */
export type Target = { readonly atLeast: number } | { readonly atMost: number };

/**
 * One measured figure, a row of the table. With `reference` (the same thing measured for
 * something else in the same run, e.g. Emmett's append rate) the row's ratio is value ÷ reference,
 * and the target applies to that ratio; without, to the value. A row without a target is shown
 * for information and neither passes nor fails.
 */
export interface BenchRow {
  readonly bench: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  readonly reference?: { readonly case: string; readonly value: number };
  readonly target?: Target;
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
