import type { Indicators, Value } from './api';
import type { Messages } from './messages';

/** The dotted paths of a catalogue's leaves (`careCadence.talk7d`). */
type Leaves<T, Prefix extends string = ''> = { [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`> }[keyof T & string];

/** A figure's path in the API's indicators, which is also its label's key in the catalogue. */
export type FigureName = Leaves<Messages['indicators']>;

/** How a figure reads: a count of children or events, a share (fraction in [0, 1]), yuan. */
export type FigureKind = 'count' | 'share' | 'yuan';

export interface Figure {
  readonly name: FigureName;
  readonly kind: FigureKind;
}

const figure = (name: FigureName, kind: FigureKind): Figure => ({ name, kind });

/** The indicator key of the API a figure belongs to (`careCadence` for `careCadence.talk7d`). */
export const indicatorOf = (figure: Figure): string => figure.name.split('.')[0];

/** Issue 16's headline tiles of the education bureau. */
export const EDUCATION_TILES: readonly Figure[] = [
  figure('childrenInCare', 'count'),
  figure('pupilShare', 'share'),
  figure('archiveCompleteness', 'share'),
  figure('pairingCoverage', 'share'),
  figure('careCadence.talk7d', 'share'),
  figure('careCadence.contact30d', 'share'),
  figure('careCadence.homeVisit92d', 'share'),
  figure('careCadence.aidSemester', 'share'),
  figure('careCadence.parentMeeting365d', 'share'),
  figure('dropoutRate', 'share'),
  figure('retentionRate', 'share'),
  figure('returnedAfterDropout', 'count'),
  figure('healthCheckRate', 'share'),
  figure('keyAssistance.children', 'count'),
  figure('keyAssistance.pairedShare', 'share'),
  figure('incidents.withinDeadline.guardian', 'share'),
  figure('incidents.withinDeadline.parents', 'share'),
  figure('incidents.withinDeadline.educationBureau', 'share'),
  figure('incidents.withinDeadline.townshipGovernment', 'share'),
  figure('incidents.open', 'count'),
];

/** The youth league's: care homes, volunteers, aid. */
export const LEAGUE_TILES: readonly Figure[] = [
  figure('careHomes.homes', 'count'),
  figure('careHomes.childrenServed', 'count'),
  figure('careHomes.activities', 'count'),
  figure('volunteers.active', 'count'),
  figure('volunteers.pairings', 'count'),
  figure('volunteers.activities', 'count'),
  figure('aid.personTimes', 'count'),
  figure('aid.yuan', 'yuan'),
];

/** The township → school table's columns: every headline figure (each sortable and exportable by unit), and the left-behind among the children. */
export const EDUCATION_COLUMNS: readonly Figure[] = [EDUCATION_TILES[0], figure('leftBehindChildren', 'count'), ...EDUCATION_TILES.slice(1)];
export const LEAGUE_COLUMNS: readonly Figure[] = LEAGUE_TILES;

/** Figures a trend may be drawn of. */
export const SERIES_FIGURES: readonly Figure[] = [
  figure('childrenInCare', 'count'),
  figure('leftBehindChildren', 'count'),
  ...EDUCATION_TILES.filter((tile) => tile.name !== 'childrenInCare'),
  figure('guardianshipCoverage', 'share'),
  figure('familyContact30d', 'share'),
  figure('incidents.count', 'count'),
  ...LEAGUE_TILES,
];

/** A figure's value within an indicator's value (`{ talk7d: 0.5, … }` → 0.5). */
export function leafOf(value: Value | undefined, path: readonly string[]): Value {
  return path.reduce<Value | undefined>((current, key) => (current !== null && typeof current === 'object' ? current[key] : undefined), value) ?? null;
}

export const valueIn = (indicators: Indicators, figure: Figure): Value => leafOf(indicators[indicatorOf(figure)], figure.name.split('.').slice(1));

export const SUPPRESSED = '*';

/** As a page shows it: `*` for a suppressed count, `—` for a share with no value. */
export function formatValue(value: Value, kind: FigureKind, locale: string): string {
  if (value === SUPPRESSED) return SUPPRESSED;
  if (typeof value !== 'number') return '—';
  if (kind === 'share') return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** The change against a month earlier: counts as a signed number, shares in percentage `points` (the unit's label). */
export function formatChange(now: Value, before: Value, kind: FigureKind, locale: string, points: string): string | null {
  if (typeof now !== 'number' || typeof before !== 'number') return null;
  const delta = now - before;
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  if (kind === 'share') return `${sign}${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(delta) * 100)} ${points}`;
  return `${sign}${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Math.abs(delta))}`;
}

/** Sort order of table cells: suppressed and empty cells last whichever way. */
export function sortKey(value: Value): number | null {
  return typeof value === 'number' ? value : null;
}

/** Today in county time (Asia/Shanghai), `YYYY-MM-DD`. */
export function countyToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The same day one month earlier, or the last day of that month when it is shorter (03-31 → 02-28). */
export function monthEarlier(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const earlier = new Date(Date.UTC(year, month - 2, 1));
  const lastDay = new Date(Date.UTC(earlier.getUTCFullYear(), earlier.getUTCMonth() + 1, 0)).getUTCDate();
  earlier.setUTCDate(Math.min(day, lastDay));
  return earlier.toISOString().slice(0, 10);
}

/** `dataAsOf` in county time, to the minute, `2026-12-02 13:16` in either language (short enough for a phone's tile). */
export function formatInstant(instant: string): string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return format.format(new Date(instant)).replace(', ', ' ');
}
