/** The platform's API as the dashboard uses it (API.md, INDICATORS.md "API"). */
export type Role = 'school_staff' | 'school_admin' | 'county_education' | 'county_youth_league' | 'auditor' | 'platform_admin';

/** The part of the login's `user` the page uses. */
export interface User {
  readonly username: string;
  readonly role: Role;
  readonly schoolId?: string;
  readonly countyId: string;
}

export interface Session {
  readonly accessToken: string;
  readonly user: User;
}

/** A figure's value: a count, `*` when suppressed, a share, null, or a group of them. */
export type Value = number | string | null | { readonly [key: string]: Value };
export type Indicators = Readonly<Record<string, Value>>;

export interface Header {
  readonly scope: string;
  readonly asOf: string;
  readonly from: string;
  readonly dataAsOf: string | null;
  readonly suppressed: boolean;
}
export interface StatsResult extends Header {
  readonly indicators: Indicators;
}
export interface SeriesResult extends Header {
  readonly indicator: string;
  readonly points: readonly { readonly asOf: string; readonly from: string; readonly value: Value }[];
}
export interface BreakdownRow {
  readonly unit: string;
  readonly name: string;
  readonly townshipId?: string;
  readonly value: Value;
}
export interface BreakdownResult extends Header {
  readonly by: 'township' | 'school';
  readonly indicator: string;
  readonly rows: readonly BreakdownRow[];
  readonly total: { readonly unit: string; readonly value: Value };
}

export interface Period {
  readonly asOf: string;
  /** Empty: the API's default, the start of the school year containing asOf. */
  readonly from: string;
}

/** A problem details answer (API.md "Errors"): its status, its detail as the message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

const SESSION_KEY = 'lbc.session';

export function storedSession(): Session | null {
  const text = sessionStorage.getItem(SESSION_KEY);
  return text === null ? null : (JSON.parse(text) as Session);
}

export async function login(username: string, password: string): Promise<Session> {
  const response = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw await apiError(response);
  const { accessToken, user } = (await response.json()) as Session;
  const session = { accessToken, user };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function logout(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

async function apiError(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => ({}))) as { detail?: string };
  return new ApiError(response.status, problem.detail ?? response.statusText);
}

function query(params: Record<string, string | number | undefined>): string {
  return new URLSearchParams(Object.entries(params).flatMap(([key, value]) => (value === undefined || value === '' ? [] : [[key, String(value)]]))).toString();
}

/** The query of a figure for a scope and period; `from` only when given and not after asOf. */
function periodParams(scope: string, period: Period): Record<string, string | undefined> {
  return { scope, asOf: period.asOf, from: period.from !== '' && period.from <= period.asOf ? period.from : undefined };
}

async function get<T>(session: Session, path: string, params: Record<string, string | number | undefined>): Promise<T> {
  const response = await fetch(`/api/v1/${path}?${query(params)}`, { headers: { authorization: `Bearer ${session.accessToken}` } });
  if (!response.ok) throw await apiError(response);
  return (await response.json()) as T;
}

export const stats = (session: Session, scope: string, period: Period) => get<StatsResult>(session, 'stats', periodParams(scope, period));

export const series = (session: Session, params: ReturnType<typeof seriesParams>) => get<SeriesResult>(session, 'stats/series', params);
export const breakdown = (session: Session, params: ReturnType<typeof breakdownParams>) => get<BreakdownResult>(session, 'stats/breakdown', params);

/**
 * Downloads what the API exports (`?format=csv|xlsx`, with its header block, legend and
 * dataAsOf): fetched with the session's token, saved under the API's own file name.
 */
export async function download(session: Session, path: 'stats/series' | 'stats/breakdown', params: Record<string, string | number | undefined>, format: 'csv' | 'xlsx'): Promise<void> {
  const response = await fetch(`/api/v1/${path}?${query({ ...params, format })}`, { headers: { authorization: `Bearer ${session.accessToken}` } });
  if (!response.ok) throw await apiError(response);
  const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = fileName === undefined ? `export.${format}` : decodeURIComponent(fileName);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/**
 * A trend's points each count from the start of their own school year (the API's default): a
 * chosen `from` after the first month-end would be refused, and one period for every point would
 * flatten the months it is meant to compare.
 */
export const seriesParams = (scope: string, asOf: string, indicator: string, months: number) => ({ scope, asOf, indicator, months });
export const breakdownParams = (scope: string, period: Period, indicator: string, by: 'township' | 'school') => ({ ...periodParams(scope, period), indicator, by });
