// What a check of the whole record answers (POST /api/v1/audit/verify, `npm run verify`). No
// imports: the auditors' page takes these types from here.

/** One broken link, named so that an auditor can find it. */
export interface Finding {
  readonly kind: 'chain' | 'tree' | 'tree-head' | 'access-log';
  readonly streamId?: string;
  readonly revision?: number;
  /** Position in the all-stream (the leaf index). */
  readonly position?: number;
  /** The access log entry, for `access-log`. */
  readonly seq?: number;
  /** Which signed head, for `tree-head`. */
  readonly treeHead?: string;
  readonly detail: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly events: number;
  readonly streams: number;
  readonly treeHeads: number;
  readonly accessLogEntries: number;
  /** In the order found; the first is the first broken link of the all-stream. */
  readonly findings: Finding[];
}
