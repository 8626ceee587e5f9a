import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { User } from '@lbc/accounts';
import { Accounts, isSchoolRole } from '@lbc/accounts';
import { Problem } from '@lbc/http';
import { accountProblem } from './account-problem';
import { SchoolCounty } from './school-county';
import { UpdateUserCommand } from './update-user.command';
import { mayManage } from './user-management';

/**
 * Changes an account's binding or `disabled`, under the row's lock: an account the actor does not
 * manage is unknown to it (404), one it would move out of what it manages is refused (403). A
 * school role's county follows its school.
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements ICommandHandler<UpdateUserCommand> {
  constructor(
    private readonly accounts: Accounts,
    private readonly schools: SchoolCounty,
  ) {}

  async execute({ userId, patch, actor }: UpdateUserCommand): Promise<User> {
    const bound = typeof patch.schoolId === 'string' ? { ...patch, countyId: await this.schools.of(patch.schoolId, patch.countyId) } : patch;
    const allow = (before: User, after: User) => {
      if (!mayManage(actor, before)) throw new Problem(404, 'unknown-user', `No user ${userId} that you manage`, 'id');
      if (!mayManage(actor, after)) throw new Problem(403, 'forbidden', `${actor.role} may not give an account this binding`, patch.role !== undefined ? 'role' : 'schoolId');
      if (isSchoolRole(after.role) && after.schoolId === before.schoolId && after.countyId !== before.countyId) {
        throw new Problem(422, 'county-mismatch', "A school account's county is its school's: change schoolId instead", 'countyId');
      }
      if (after.id === actor.userId && (after.disabled || after.role !== before.role)) {
        throw new Problem(409, 'own-account', 'An account cannot disable itself or change its own role; ask another administrator', after.disabled ? 'disabled' : 'role');
      }
    };
    return this.accounts.updateUser(userId, bound, { id: actor.userId, username: actor.username }, allow).catch((error: unknown) => Promise.reject(accountProblem(error)));
  }
}
