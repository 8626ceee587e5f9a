import { Query } from '@nestjs/cqrs';
import type { Count } from '@lbc/domain';
import type { Session } from '@lbc/http';
import type { Scope } from '@lbc/read-models';

export interface ChildrenInCareResult {
  readonly scope: string;
  readonly asOf: string;
  readonly recordedBy: string | null;
  readonly dataAsOf: string | null;
  readonly suppressed: boolean;
  readonly childrenInCare: Count;
  readonly leftBehindChildren: Count;
}

export class GetChildrenInCareQuery extends Query<ChildrenInCareResult> {
  constructor(
    readonly scope: Scope,
    readonly asOf: string,
    readonly recordedBy: string | null,
    readonly actor: Session,
  ) {
    super();
  }
}
