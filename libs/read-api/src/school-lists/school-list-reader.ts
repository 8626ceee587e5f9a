import { Inject, Injectable } from '@nestjs/common';
import { isSchoolRole, seesPersonalData } from '@lbc/accounts';
import { countyDateOf } from '@lbc/domain';
import { registeredSchool } from '@lbc/read-models';
import type { DataSource, EntityManager } from 'typeorm';
import type { Session } from '@lbc/http';
import { CLOCK, Problem } from '@lbc/http';
import { READ_MODELS } from '../read-api.tokens';
import type { NamedKind } from './personal-names';
import { PersonalNames } from './personal-names';

/** Whose names a list's items carry (for the roles that see personal data), and their ids. */
export interface Naming<T> {
  readonly kind: NamedKind;
  readonly idOf: (item: T) => string;
}
export const CHILD_NAMING: Naming<{ readonly childId: string }> = { kind: 'child', idOf: (item) => item.childId };

export interface SchoolListPage<T> {
  readonly schoolId: string;
  readonly asOf: string;
  /** With `name` added when the list is named and the caller sees personal data. */
  readonly items: readonly T[];
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
    private readonly names: PersonalNames,
  ) {}

  /** `load` runs on the read models as of `asOf` (null: today, county-local); `naming` null: a list without names. */
  async read<T>(
    { actor, requestId }: { readonly actor: Session; readonly requestId: string | null },
    schoolId: string,
    asOf: string | null,
    naming: Naming<T> | null,
    load: (readModels: EntityManager, asOf: string, now: Date) => Promise<{ readonly items: readonly T[]; readonly nextCursor: string | null }>,
  ): Promise<SchoolListPage<T>> {
    await this.checkAccess(actor, schoolId);
    const now = this.clock();
    const day = asOf ?? countyDateOf(now.getTime());
    const page = await load(this.readModels.manager, day, now);
    const items = naming !== null && seesPersonalData(actor.role) ? await this.names.attach(naming.kind, page.items, naming.idOf, actor, requestId) : page.items;
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
