/** The school workspace's side of the API (API.md, INTERCHANGE.md): reads, events, rosters. */
import type { Session } from '../api';
import { ApiError } from '../api';

export type Duty = 'talk' | 'guardian-contact' | 'home-visit' | 'aid' | 'parent-meeting';
export type Party = 'guardian' | 'parents' | 'education-bureau' | 'township-government';

export interface ChildSummary {
  readonly childId: string;
  readonly name?: string | null;
  readonly grade: number;
  readonly className: string | null;
  readonly category: string;
  readonly openRiskFlags: readonly string[];
  readonly paired: boolean;
}
export interface MissingNotification {
  readonly party: Party;
  readonly deadline: string;
  readonly deadlinePassed: boolean;
}
export interface PairedCarer {
  readonly carerId: string;
  readonly role: string;
}
export interface WorklistItem extends ChildSummary {
  /** The carers of the child's active pairings, the earliest paired first. */
  readonly carers: readonly PairedCarer[];
  readonly overdueDuties: readonly { readonly duty: Duty; readonly lastDoneAt: string | null }[];
  readonly unnotifiedIncidents: readonly { readonly incidentId: string; readonly kind: string; readonly severity: string; readonly occurredAt: string; readonly resolved: boolean; readonly missing: readonly MissingNotification[] }[];
}
export interface Carer extends PairedCarer {
  readonly name?: string | null;
  readonly organisation: string;
  readonly partyMember: boolean;
  readonly pairedChildren: number;
}
export interface CareHome {
  readonly homeId: string;
  readonly name: string;
  readonly facilities: readonly string[];
}
export interface Page<T> {
  readonly asOf: string;
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}
export interface Pairing {
  readonly pairingId: string;
  readonly carerId: string;
  readonly role: string;
  readonly since: string;
  readonly endedAt: string | null;
  readonly endReason: string | null;
}
export interface HistoryEntry {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}
export interface ChildFile {
  readonly childId: string;
  readonly access: string;
  readonly file: Readonly<Record<string, unknown>> & { readonly pairings: readonly Pairing[]; readonly openRiskFlags: readonly string[]; readonly incidents: readonly Readonly<Record<string, unknown>>[] };
  readonly personal?: Readonly<Record<string, unknown>> | null;
  readonly history: readonly HistoryEntry[];
}

/** An interchange event as a form builds it (INTERCHANGE.md); `eventId` made on the device. */
export interface SubmittedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly childId?: string;
  readonly schoolId?: string;
  readonly carerId?: string;
  readonly data: Readonly<Record<string, unknown>>;
}
export interface EventResult {
  readonly eventId: string | null;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly reason?: string;
  readonly field?: string;
  readonly message?: string;
}
export interface RosterError {
  readonly row: number;
  readonly column: string | null;
  readonly code: string;
  readonly message: string;
}
export interface RosterReport {
  readonly rows: number;
  readonly registered: number;
  readonly existing: number;
  readonly errors: readonly RosterError[];
}
export interface RosterProgress extends RosterReport {
  readonly phase: 'progress' | 'done' | 'failed';
  readonly done?: number;
  readonly problem?: { readonly detail: string };
}

/** A problem details answer with its code and field (API.md "Errors"). */
export class Refusal extends ApiError {
  constructor(
    status: number,
    detail: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(status, detail);
  }
}

async function refusalOf(response: Response): Promise<Refusal> {
  const problem = (await response.json().catch(() => ({}))) as { detail?: string; code?: string; field?: string };
  return new Refusal(response.status, problem.detail ?? response.statusText, problem.code ?? String(response.status), problem.field);
}

const auth = (session: Session) => ({ authorization: `Bearer ${session.accessToken}` });

async function get<T>(session: Session, path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const query = new URLSearchParams(Object.entries(params).flatMap(([key, value]) => (value ? [[key, value]] : []))).toString();
  const response = await fetch(`/api/v1/${path}${query ? `?${query}` : ''}`, { headers: auth(session) });
  if (!response.ok) throw await refusalOf(response);
  return (await response.json()) as T;
}

/** Every page of a paginated list (a school's list is a few hundred children at most). */
async function all<T>(session: Session, path: string, params: Record<string, string | undefined>): Promise<{ asOf: string; items: T[] }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let asOf = '';
  do {
    const page = await get<Page<T>>(session, path, { ...params, limit: '500', cursor });
    items.push(...page.items);
    asOf = page.asOf;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { asOf, items };
}

export const worklist = (session: Session, schoolId: string) => all<WorklistItem>(session, `schools/${encodeURIComponent(schoolId)}/worklist`, {});

export const children = (session: Session, schoolId: string, filters: Record<string, string | undefined>) => all<ChildSummary>(session, `schools/${encodeURIComponent(schoolId)}/children`, filters);

export const carers = (session: Session, schoolId: string) => all<Carer>(session, `schools/${encodeURIComponent(schoolId)}/carers`, {});

export const careHomes = (session: Session, schoolId: string) => all<CareHome>(session, `schools/${encodeURIComponent(schoolId)}/care-homes`, {});

export const childFile = (session: Session, childId: string) => get<ChildFile>(session, `children/${encodeURIComponent(childId)}`);

/** Sends events as one batch, each with its own result; a network failure throws a TypeError. */
export async function sendEvents(session: Session, events: readonly SubmittedEvent[]): Promise<readonly EventResult[]> {
  const response = await fetch('/api/v1/events', { method: 'POST', headers: { ...auth(session), 'content-type': 'application/json' }, body: JSON.stringify(events) });
  // A batch with a refused event is a 422 that still carries every event's result.
  if (response.ok || response.status === 422) {
    const answer = (await response.clone().json().catch(() => ({}))) as { results?: readonly EventResult[] };
    if (answer.results?.length === events.length) return answer.results;
  }
  throw await refusalOf(response);
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const contentTypeOf = (file: File) => (/\.xlsx$/i.test(file.name) ? XLSX : 'text/csv');

/** The dry run: every row checked, nothing written; a 422 (no roster in the file) is thrown. */
export async function rosterDryRun(session: Session, schoolId: string, file: File): Promise<RosterReport> {
  const response = await fetch(`/api/v1/schools/${encodeURIComponent(schoolId)}/roster?dryRun=true`, { method: 'POST', headers: { ...auth(session), 'content-type': contentTypeOf(file) }, body: file });
  if (!response.ok) throw await refusalOf(response);
  return (await response.json()) as RosterReport;
}

/** The import, reporting each NDJSON progress line as it arrives. */
export async function rosterImport(session: Session, schoolId: string, file: File, onProgress: (progress: RosterProgress) => void): Promise<void> {
  const response = await fetch(`/api/v1/schools/${encodeURIComponent(schoolId)}/roster?dryRun=false`, { method: 'POST', headers: { ...auth(session), 'content-type': contentTypeOf(file) }, body: file });
  if (!response.ok || response.body === null) throw await refusalOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onProgress(JSON.parse(line) as RosterProgress);
  }
  if (buffered.trim()) onProgress(JSON.parse(buffered) as RosterProgress);
}
