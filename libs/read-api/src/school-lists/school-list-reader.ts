import { Inject, Injectable } from '@nestjs/common';
import { isSchoolRole, seesPersonalData } from '@lbc/accounts';
import { countyDateOf } from '@lbc/domain';
import type { ChildPage } from '@lbc/read-models';
import { registeredSchool } from '@lbc/read-models';
import type { DataSource, EntityManager } from 'typeorm';
import type { Session } from '@lbc/http';
import { CLOCK, Problem } from '@lbc/http';
import { READ_MODELS } from '../read-api.tokens';
import { ChildNames } from './child-names';

export interface SchoolListPage<T> {
  readonly schoolId: string;
  readonly asOf: string;
  readonly items: readonly (T & { readonly name?: string | null })[];
  readonly nextCursor: string | null;
}

/**
 * Reads a page of a school's list for a caller. Who may (the controller's `@Roles` keeps county
 * roles out: a list of children is no aggregate): a school role its own school only (403
 * otherwise, as the roster does); an auditor any school of its county, without names;
 * `platform_admin` any school, with names, as it reads children's files. A school the read models
 * do not know is 404.
 */
@Injectable()
export class SchoolListReader {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(CLOCK) private readonly clock: () => Date,
    private readonly childNames: ChildNames,
  ) {}

  /** `load` runs on the read models as of `asOf` (null: today, county-local). */
  async read<T extends { readonly childId: string }>(
    { actor, requestId }: { readonly actor: Session; readonly requestId: string | null },
    schoolId: string,
    asOf: string | null,
    load: (readModels: EntityManager, asOf: string, now: Date) => Promise<ChildPage<T>>,
  ): Promise<SchoolListPage<T>> {
    await this.checkAccess(actor, schoolId);
    const now = this.clock();
    const day = asOf ?? countyDateOf(now.getTime());
    const page = await load(this.readModels.manager, day, now);
    const items = seesPersonalData(actor.role) ? await this.childNames.attach(page.items, actor, requestId) : page.items;
    return { schoolId, asOf: day, items, nextCursor: page.nextCursor };
  }

  private async checkAccess(actor: Session, schoolId: string): Promise<void> {
    if (isSchoolRole(actor.role)) {
      if (actor.schoolId !== schoolId) throw new Problem(403, 'forbidden', `${actor.role} reads the lists of its own school only`, 'schoolId');
      return;
    }
    const school = await registeredSchool(this.readModels.manager, schoolId);
    if (school === null || (actor.role === 'auditor' && school.countyId !== actor.countyId)) {
      throw new Problem(404, 'unknown-school', `No school ${schoolId} that you may read`, 'schoolId');
    }
  }
}
