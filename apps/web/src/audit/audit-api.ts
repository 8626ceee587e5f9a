import type { Session } from '../api';
import { ApiError } from '../api';
import type { VerifyReport } from '@lbc/audit/verify-report';

/** The auditors' API (GET /api/v1/audit/…, POST /api/v1/stats/report-checks) as the auditor's pages use it. */

export type Relation = 'voids' | 'ends' | 'notifies' | 'resolves';

export interface HistoryEvent {
  readonly eventId: string;
  readonly type: string;
  readonly revision: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly schoolId: string | null;
  readonly hash: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly refersTo: { readonly eventId: string; readonly relation: Relation } | null;
  readonly referredBy: readonly { readonly eventId: string; readonly relation: Relation }[];
}

export interface StreamHistory {
  readonly streamId: string;
  readonly chain: { readonly ok: boolean; readonly revision?: number; readonly reason?: string };
  readonly events: readonly HistoryEvent[];
  readonly openedFields: readonly string[];
  readonly personalErased: boolean;
}

export interface HistoryQuery {
  readonly reason: string;
  readonly schoolId?: string;
  readonly type?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface AccessEntry {
  readonly seq: number;
  readonly at: string;
  readonly userId: string;
  readonly role: string;
  readonly subject: string;
  readonly fields: readonly string[];
  readonly reason: string;
  readonly hash: string;
}

export interface TreeHead {
  readonly id: number;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly time: string;
  readonly accessLog: { readonly entries: number; readonly hash: string } | null;
  readonly note: string;
}

export type Verdict = 'as-recorded' | 'recorded-later' | 'differs' | 'suppressed' | 'unknown-figure';
export interface ReportCheck {
  readonly scope: string;
  readonly asOf: string;
  readonly submittedAt: string;
  readonly figures: readonly { readonly figure: string; readonly reported: unknown; readonly atSubmission: unknown; readonly today: unknown; readonly verdict: Verdict }[];
  readonly summary: Readonly<Record<Verdict, number>>;
}

/** A refusal as the API states it: its code and field, to show beside the field. */
export class Refusal extends ApiError {
  constructor(
    status: number,
    detail: string,
    readonly code: string,
    readonly field: string | undefined,
  ) {
    super(status, detail);
  }
}

async function call<T>(session: Session, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`/api/v1/${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${session.accessToken}` } });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; code?: string; field?: string };
    throw new Refusal(response.status, problem.detail ?? response.statusText, problem.code ?? 'error', problem.field);
  }
  return (await response.json()) as T;
}

const params = (values: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(values).flatMap(([key, value]) => (value === undefined || value === '' ? [] : [[key, value]]))).toString();

export const streamHistory = (session: Session, streamId: string, query: HistoryQuery) =>
  call<StreamHistory>(session, `audit/streams/${encodeURIComponent(streamId)}?${params({ ...query })}`);

export const accessLog = (session: Session, cursor?: string) =>
  call<{ entries: AccessEntry[]; nextCursor: string | null }>(session, `audit/access-log?${params({ limit: '50', cursor })}`);

export const treeHeads = (session: Session) => call<{ verifierKey: string; treeHeads: TreeHead[] }>(session, 'audit/tree-heads?limit=20');

export const signTreeHead = (session: Session) => call<TreeHead>(session, 'audit/tree-heads', { method: 'POST' });

export const verifyRecord = (session: Session, exportedHeads: readonly string[]) =>
  call<VerifyReport>(session, 'audit/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ treeHeads: exportedHeads }) });

const REPORT_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function checkReport(session: Session, file: File, submittedAt: string): Promise<ReportCheck> {
  const type = REPORT_TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''] ?? file.type;
  return call<ReportCheck>(session, `stats/report-checks?${params({ submittedAt })}`, { method: 'POST', headers: { 'content-type': type }, body: file });
}

/** Saves a file the page made or fetched under `name`. */
export function saveFile(blob: Blob, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** The history as the API prints it (a PDF with Chinese embedded). */
export async function downloadHistoryPdf(session: Session, streamId: string, query: HistoryQuery): Promise<void> {
  const response = await fetch(`/api/v1/audit/streams/${encodeURIComponent(streamId)}?${params({ ...query, format: 'pdf' })}`, {
    headers: { authorization: `Bearer ${session.accessToken}` },
  });
  if (!response.ok) throw new ApiError(response.status, response.statusText);
  saveFile(await response.blob(), `${streamId}.pdf`);
}
