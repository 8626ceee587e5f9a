import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { Problem } from '@lbc/http';
import { MerkleLog } from '../tree/merkle-log';
import { TreeHeads } from '../tree/tree-heads';
import type { AuditDependencies } from './audit-dependencies';
import { AUDIT_DEPENDENCIES } from './audit.tokens';
import type { InclusionProofView } from './get-inclusion-proof.query';
import { GetInclusionProofQuery } from './get-inclusion-proof.query';

@QueryHandler(GetInclusionProofQuery)
export class GetInclusionProofHandler implements IQueryHandler<GetInclusionProofQuery> {
  constructor(
    @Inject(AUDIT_DEPENDENCIES) private readonly deps: AuditDependencies,
    private readonly log: MerkleLog,
    private readonly heads: TreeHeads,
  ) {}

  async execute({ streamId, revision, treeSize, actor }: GetInclusionProofQuery): Promise<InclusionProofView> {
    const [event] = await this.deps.eventStore.readStream(streamId, { fromRevision: revision });
    if (event === undefined || event.revision !== revision || (actor.role === 'auditor' && event.metadata.countyId !== actor.countyId)) {
      throw new Problem(404, 'unknown-event', `No event ${streamId}@${revision} that you may read`, 'query.revision');
    }
    const size = treeSize ?? (await this.heads.list(1))[0]?.treeSize;
    if (size === undefined) throw new Problem(422, 'no-tree-head', 'No tree head has been signed yet: sign one first', 'query.treeSize');
    const { treeSize: held } = await this.log.position();
    if (size > held) throw new Problem(422, 'beyond-tree', `The tree holds ${held} events, not ${size}`, 'query.treeSize');
    const leafIndex = await this.log.leafIndexOf(event.globalPosition);
    if (leafIndex === null || leafIndex >= size) {
      throw new Problem(422, 'not-in-tree', `The event is not among the first ${size} leaves: ask for a later tree size`, 'query.treeSize');
    }
    const proof = await this.log.inclusionProof(leafIndex, size);
    return {
      streamId,
      revision,
      eventHash: event.hash,
      leafIndex,
      treeSize: size,
      leafHash: proof.leafHash.toString('base64'),
      rootHash: (await this.log.root(size)).toString('base64'),
      path: proof.path.map((hash) => hash.toString('base64')),
    };
  }
}
