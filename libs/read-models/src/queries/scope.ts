/** A scope of INDICATORS.md: `county:ID`, `township:ID` or `school:ID`. */
export interface Scope {
  readonly kind: 'county' | 'township' | 'school';
  readonly id: string;
}

export function formatScope(scope: Scope): string {
  return `${scope.kind}:${scope.id}`;
}

/** Null when the text is not a scope. */
export function parseScope(text: string): Scope | null {
  const match = /^(county|township|school):(.+)$/.exec(text);
  return match ? { kind: match[1] as Scope['kind'], id: match[2] } : null;
}

/**
 * Common filter of every figure: facts that occurred by the end of `asOf` (county-local,
 * Asia/Shanghai) and, when `recordedBy` is given, were recorded by then. `$2` is the as-of date,
 * `$3` the recorded-by cut-off (`infinity` when there is none).
 */
export const VISIBLE = (alias: string) =>
  `${alias}.occurred_at < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AND ${alias}.recorded_at <= $3::timestamptz`;

/** The schools of the scope (`$1`), as registered by the cut-off. */
export const SCOPE_SCHOOLS = (kind: Scope['kind']) =>
  `SELECT s.school_id FROM schools s WHERE s.${kind}_id = $1 AND ${VISIBLE('s')}`;
