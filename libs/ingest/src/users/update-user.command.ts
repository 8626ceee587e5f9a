import { Command } from '@nestjs/cqrs';
import type { User, UserPatch } from '@lbc/accounts';
import type { Session } from '@lbc/http';

export class UpdateUserCommand extends Command<User> {
  constructor(
    readonly userId: string,
    readonly patch: UserPatch,
    readonly actor: Session,
  ) {
    super();
  }
}
