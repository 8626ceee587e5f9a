import { Command } from '@nestjs/cqrs';
import type { Role, User } from '@lbc/accounts';
import type { Session } from '@lbc/http';

export interface CreateUserRequest {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly countyId?: string;
  readonly schoolId?: string;
}

export class CreateUserCommand extends Command<User> {
  constructor(
    readonly request: CreateUserRequest,
    readonly actor: Session,
  ) {
    super();
  }
}
