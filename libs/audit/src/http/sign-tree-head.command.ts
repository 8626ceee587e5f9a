import { Command } from '@nestjs/cqrs';
import type { TreeHeadView } from './tree-head-view';

/** Signs the tree and the access log as they stand now (on demand, beside the daily head). */
export class SignTreeHeadCommand extends Command<TreeHeadView> {}
