import { Query } from '@nestjs/cqrs';

export interface ConsistencyProofView {
  readonly first: number;
  readonly second: number;
  readonly firstRootHash: string;
  readonly secondRootHash: string;
  /** RFC 6962 consistency proof, base64. */
  readonly path: string[];
}

/** Proves that the tree of `first` leaves is a prefix of the tree of `second` (RFC 6962 §2.1.2). */
export class GetConsistencyProofQuery extends Query<ConsistencyProofView> {
  constructor(
    readonly first: number,
    readonly second: number,
  ) {
    super();
  }
}
