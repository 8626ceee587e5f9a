import type { StoredTreeHead } from '../tree/tree-heads';

/** A signed tree head as the API shows it; `note` is the signed text to keep and re-check. */
export interface TreeHeadView {
  readonly id: number;
  readonly origin: string;
  readonly treeSize: number;
  /** Base64, as in the note. */
  readonly rootHash: string;
  readonly time: string;
  readonly accessLog: { readonly entries: number; readonly hash: string } | null;
  readonly note: string;
}

export const treeHeadView = (head: StoredTreeHead): TreeHeadView => ({
  id: head.id,
  origin: head.origin,
  treeSize: head.treeSize,
  rootHash: head.rootHash.toString('base64'),
  time: head.time,
  accessLog: head.accessLog,
  note: head.note,
});
