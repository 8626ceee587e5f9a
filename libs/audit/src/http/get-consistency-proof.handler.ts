import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { Problem } from '@lbc/http';
import { MerkleLog } from '../tree/merkle-log';
import type { ConsistencyProofView } from './get-consistency-proof.query';
import { GetConsistencyProofQuery } from './get-consistency-proof.query';

@QueryHandler(GetConsistencyProofQuery)
export class GetConsistencyProofHandler implements IQueryHandler<GetConsistencyProofQuery> {
  constructor(private readonly log: MerkleLog) {}

  async execute({ first, second }: GetConsistencyProofQuery): Promise<ConsistencyProofView> {
    if (first > second) throw new Problem(422, 'invalid-value', 'first is after second', 'query.first');
    const { treeSize } = await this.log.position();
    if (second > treeSize) throw new Problem(422, 'beyond-tree', `The tree holds ${treeSize} events, not ${second}`, 'query.second');
    const base64 = (hash: Buffer) => hash.toString('base64');
    return {
      first,
      second,
      firstRootHash: base64(await this.log.root(first)),
      secondRootHash: base64(await this.log.root(second)),
      path: (await this.log.consistencyProof(first, second)).map(base64),
    };
  }
}
