import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { TreeHeads } from '../tree/tree-heads';
import type { TreeHeadsPage } from './list-tree-heads.query';
import { ListTreeHeadsQuery } from './list-tree-heads.query';
import { treeHeadView } from './tree-head-view';

@QueryHandler(ListTreeHeadsQuery)
export class ListTreeHeadsHandler implements IQueryHandler<ListTreeHeadsQuery> {
  constructor(private readonly heads: TreeHeads) {}

  async execute({ limit, before }: ListTreeHeadsQuery): Promise<TreeHeadsPage> {
    const heads = await this.heads.list(limit + 1, before);
    const page = heads.slice(0, limit);
    return {
      verifierKey: this.heads.verifier,
      treeHeads: page.map(treeHeadView),
      nextCursor: heads.length > limit ? String(page[page.length - 1].id) : null,
    };
  }
}
