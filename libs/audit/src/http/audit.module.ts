import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { AccessLog } from '@lbc/personal-data';
import { StreamHistoryReader } from '../history/stream-history';
import { MerkleLog } from '../tree/merkle-log';
import { TreeHeads } from '../tree/tree-heads';
import { AccessLogController } from './access-log.controller';
import type { AuditDependencies } from './audit-dependencies';
import { AUDIT_CLOCK, AUDIT_DEPENDENCIES } from './audit.tokens';
import { GetConsistencyProofHandler } from './get-consistency-proof.handler';
import { GetInclusionProofHandler } from './get-inclusion-proof.handler';
import { GetStreamHistoryHandler } from './get-stream-history.handler';
import { HistoryController } from './history.controller';
import { ListAccessLogHandler } from './list-access-log.handler';
import { ListTreeHeadsHandler } from './list-tree-heads.handler';
import { SignTreeHeadHandler } from './sign-tree-head.handler';
import { TreeHeadsController } from './tree-heads.controller';
import { VerifyRecordHandler } from './verify-record.handler';

/** The audit log's parts, made once per process: the module serves them, the tree builder feeds them. */
export interface AuditServices {
  readonly accessLog: AccessLog;
  readonly merkleLog: MerkleLog;
  readonly treeHeads: TreeHeads;
  readonly history: StreamHistoryReader;
}

export function auditServices(deps: AuditDependencies): AuditServices {
  const accessLog = new AccessLog(deps.auditPool, deps.clock);
  const merkleLog = new MerkleLog(deps.auditPool);
  return {
    accessLog,
    merkleLog,
    treeHeads: new TreeHeads(deps.auditPool, merkleLog, accessLog, deps.treeHeadKey, deps.clock),
    history: new StreamHistoryReader(deps.eventStore, deps.vault, accessLog),
  };
}

/**
 * The auditors' API (mounted into the ingest app like the read-side API): stream histories with
 * personal data opened for a stated reason, the access log, signed tree heads and their proofs,
 * and the verification of the whole record.
 */
@Module({})
export class AuditModule {
  static forRoot(deps: AuditDependencies, services: AuditServices = auditServices(deps)): DynamicModule {
    const clock = deps.clock ?? (() => new Date());
    const { accessLog, merkleLog, treeHeads, history } = services;
    return {
      module: AuditModule,
      controllers: [HistoryController, AccessLogController, TreeHeadsController],
      providers: [
        { provide: AUDIT_DEPENDENCIES, useValue: deps },
        { provide: AUDIT_CLOCK, useValue: clock },
        { provide: AccessLog, useValue: accessLog },
        { provide: MerkleLog, useValue: merkleLog },
        { provide: TreeHeads, useValue: treeHeads },
        { provide: StreamHistoryReader, useValue: history },
        GetStreamHistoryHandler,
        ListAccessLogHandler,
        ListTreeHeadsHandler,
        SignTreeHeadHandler,
        GetInclusionProofHandler,
        GetConsistencyProofHandler,
        VerifyRecordHandler,
      ],
    };
  }
}
