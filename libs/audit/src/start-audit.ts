import type { DynamicModule } from '@nestjs/common';
import type { AuditDependencies } from './http/audit-dependencies';
import { AuditModule, auditServices } from './http/audit.module';
import { startTreeBuilder } from './tree/tree-builder';

export interface RunningAudit {
  /** The auditors' API, to mount in the app. */
  readonly module: DynamicModule;
  stop(): Promise<void>;
}

/**
 * The audit log in a serving process: the auditors' API, and the tree builder that follows the
 * all-stream and signs a head daily. Any number of processes may run it; the tree has one writer
 * at a time (an advisory lock) and skips what another already added.
 */
export async function startAudit(deps: AuditDependencies & { readonly onError: (error: unknown) => void }): Promise<RunningAudit> {
  const services = auditServices(deps);
  const builder = await startTreeBuilder({ store: deps.eventStore, log: services.merkleLog, heads: services.treeHeads, onError: deps.onError });
  return { module: AuditModule.forRoot(deps, services), stop: () => builder.stop() };
}
