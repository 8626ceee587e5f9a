import { Query } from '@nestjs/cqrs';
import type { TreeHeadView } from './tree-head-view';

export interface TreeHeadsPage {
  /** signed-note verifier key: check every note with it (e.g. Go's golang.org/x/mod/sumdb/note). */
  readonly verifierKey: string;
  readonly treeHeads: TreeHeadView[];
  readonly nextCursor: string | null;
}

/** Signed tree heads, newest first. */
export class ListTreeHeadsQuery extends Query<TreeHeadsPage> {
  constructor(
    readonly limit: number,
    readonly before?: number,
  ) {
    super();
  }
}
