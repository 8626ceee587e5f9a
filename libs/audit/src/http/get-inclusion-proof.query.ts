import { Query } from '@nestjs/cqrs';
import type { Session } from '@lbc/http';

export interface InclusionProofView {
  readonly streamId: string;
  readonly revision: number;
  /** The event's chain hash (hex): the leaf is SHA-256(0x00 ‖ these 32 bytes). */
  readonly eventHash: string;
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Base64, like the tree head's root. */
  readonly leafHash: string;
  readonly rootHash: string;
  /** RFC 6962 audit path, leaf side first, base64. */
  readonly path: string[];
}

/** Proves that an event is in the tree of a signed head (RFC 6962 §2.1.1). */
export class GetInclusionProofQuery extends Query<InclusionProofView> {
  constructor(
    readonly streamId: string,
    readonly revision: number,
    /** Default: the latest signed head's. */
    readonly treeSize: number | undefined,
    readonly actor: Session,
  ) {
    super();
  }
}
