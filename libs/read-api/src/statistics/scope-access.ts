import { Inject, Injectable } from '@nestjs/common';
import type { Session } from '@lbc/ingest';
import { Problem } from '@lbc/ingest';
import type { Scope } from '@lbc/read-models';
import { countyOfScope, formatScope } from '@lbc/read-models';
import type { DataSource } from 'typeorm';
import { READ_MODELS } from '../read-api.tokens';

/** Whose figures a caller reads, and whether small cells are hidden from it. */
export interface ScopeGrant {
  readonly countyId: string;
  readonly suppressed: boolean;
}

/**
 * Who reads the figures of which scope (INDICATORS.md "Small-cell suppression", API.md roles):
 * county roles their own county, suppressed; auditors their own county and `platform_admin` any,
 * both exact; school roles their own school only, exact. A scope the read models do not know is
 * 404 `unknown-scope`; a known one outside the caller's reach is 403 `forbidden`.
 */
@Injectable()
export class ScopeAccess {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async grant(actor: Session, scope: Scope): Promise<ScopeGrant> {
    const countyId = await countyOfScope(this.readModels.manager, scope, actor.countyId);
    if (countyId === null) throw new Problem(404, 'unknown-scope', `No ${formatScope(scope)} in the read models`, 'query.scope');
    const refuse = (why: string) => new Problem(403, 'forbidden', `${actor.role} ${why}; not ${formatScope(scope)}`, 'query.scope');
    switch (actor.role) {
      case 'platform_admin':
        return { countyId, suppressed: false };
      case 'auditor':
        if (countyId !== actor.countyId) throw refuse(`reads its own county (${actor.countyId})`);
        return { countyId, suppressed: false };
      case 'county_education':
      case 'county_youth_league':
        if (countyId !== actor.countyId) throw refuse(`reads its own county (${actor.countyId})`);
        return { countyId, suppressed: true };
      case 'school_staff':
      case 'school_admin':
        if (scope.kind !== 'school' || scope.id !== actor.schoolId) throw refuse(`reads its own school (${actor.schoolId ?? 'none'})`);
        return { countyId, suppressed: false };
      default: {
        const role: never = actor.role;
        throw new Problem(403, 'forbidden', `${String(role)} reads no statistics`, 'query.scope');
      }
    }
  }
}
