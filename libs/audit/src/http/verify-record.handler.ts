import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { TreeHeads } from '../tree/tree-heads';
import type { VerifyReport } from '../verify/verify-report';
import { verifyRecord } from '../verify/verify-record';
import type { AuditDependencies } from './audit-dependencies';
import { AUDIT_DEPENDENCIES } from './audit.tokens';
import { VerifyRecordCommand } from './verify-record.command';

@CommandHandler(VerifyRecordCommand)
export class VerifyRecordHandler implements ICommandHandler<VerifyRecordCommand> {
  constructor(
    @Inject(AUDIT_DEPENDENCIES) private readonly deps: AuditDependencies,
    private readonly heads: TreeHeads,
  ) {}

  execute({ exportedHeads }: VerifyRecordCommand): Promise<VerifyReport> {
    return verifyRecord({ store: this.deps.eventStore, pool: this.deps.auditPool, verifier: this.heads.verifier, exportedHeads });
  }
}
