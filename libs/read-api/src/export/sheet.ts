/** A figure as a spreadsheet cell: a number, `*`, text, or empty (a null share). */
export type SheetCell = number | string | null;

/**
 * What a CSV or XLSX export holds (INDICATORS.md "API"): a header block (scope, as-of, from,
 * `dataAsOf`, the legend of `*`), then a table.
 */
export interface Sheet {
  /** File name without extension: letters, digits, `.`, `_` and `-` only. */
  readonly fileName: string;
  readonly header: readonly (readonly [string, string])[];
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SheetCell[])[];
}

/** A figure's leaves with dotted names (`carerLoad.mean`); a plain figure is one leaf named `name`. */
export function leavesOf(value: unknown, name: string): [string, SheetCell][] {
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => leavesOf(inner, `${name}.${key}`));
  return [[name, value as SheetCell]];
}

export function safeFileName(parts: readonly string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_');
}
