import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { User } from '@lbc/accounts';
import { Accounts, isSchoolRole } from '@lbc/accounts';
import { Problem } from '@lbc/http';
import { accountProblem } from './account-problem';
import { CreateUserCommand } from './create-user.command';
import { SchoolCounty } from './school-county';
import { mayManage } from './user-management';

/** Creates an account the actor may manage; a school role's county is its school's, a school_admin's staff are of its school. */
@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(
    private readonly accounts: Accounts,
    private readonly schools: SchoolCounty,
  ) {}

  async execute({ request, actor }: CreateUserCommand): Promise<User> {
    const schoolId = request.schoolId ?? (actor.role === 'school_admin' ? actor.schoolId : undefined);
    if (!mayManage(actor, { role: request.role, schoolId })) {
      throw new Problem(403, 'forbidden', `${actor.role} may create only school_staff of its own school`, request.role === 'school_staff' ? 'schoolId' : 'role');
    }
    let countyId = request.countyId;
    if (isSchoolRole(request.role) && schoolId !== undefined) countyId = await this.schools.of(schoolId, request.countyId);
    if (countyId === undefined) {
      throw isSchoolRole(request.role)
        ? new Problem(422, 'school-required', `schoolId: required for ${request.role}`, 'schoolId')
        : new Problem(422, 'county-required', `countyId: required for ${request.role}`, 'countyId');
    }
    return this.accounts
      .createUser({ username: request.username, password: request.password, role: request.role, countyId, ...(schoolId ? { schoolId } : {}) }, { id: actor.userId, username: actor.username })
      .catch((error: unknown) => Promise.reject(accountProblem(error)));
  }
}
