import { Command } from '@nestjs/cqrs';
import type { VerifyReport } from '../verify/verify-report';

/** Re-checks the whole record (`npm run verify` over HTTP), also against tree heads kept outside. */
export class VerifyRecordCommand extends Command<VerifyReport> {
  constructor(readonly exportedHeads: readonly string[]) {
    super();
  }
}
