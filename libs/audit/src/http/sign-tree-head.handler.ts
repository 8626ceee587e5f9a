import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { TreeHeads } from '../tree/tree-heads';
import { SignTreeHeadCommand } from './sign-tree-head.command';
import type { TreeHeadView } from './tree-head-view';
import { treeHeadView } from './tree-head-view';

@CommandHandler(SignTreeHeadCommand)
export class SignTreeHeadHandler implements ICommandHandler<SignTreeHeadCommand> {
  constructor(private readonly heads: TreeHeads) {}

  async execute(): Promise<TreeHeadView> {
    return treeHeadView(await this.heads.sign());
  }
}
