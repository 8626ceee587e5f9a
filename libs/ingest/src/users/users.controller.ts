import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { z } from 'zod';
import type { Page, User } from '@lbc/accounts';
import { MIN_PASSWORD_LENGTH, ROLES } from '@lbc/accounts';
import type { Session } from '@lbc/http';
import { CurrentUser, Problem, Roles, validate } from '@lbc/http';
import { CreateUserCommand } from './create-user.command';
import { ListUsersQuery } from './list-users.query';
import { ApiPage, pageQuery } from './page-query';
import { UpdateUserCommand } from './update-user.command';
import { ACCOUNT_MANAGERS } from './user-management';
import { CreateUserRequestDto, UpdateUserRequestDto, UsersPage, UserView } from './users.dto';

const createUserRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(256),
  role: z.enum(ROLES),
  countyId: z.string().min(1).max(64).optional(),
  schoolId: z.uuid().optional(),
});

const updateUserRequest = z.strictObject({
  role: z.enum(ROLES).optional(),
  schoolId: z.uuid().nullable().optional(),
  countyId: z.string().min(1).max(64).optional(),
  disabled: z.boolean().optional(),
});

const userParams = z.strictObject({ id: z.uuid() });

@ApiTags('accounts')
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @Roles(...ACCOUNT_MANAGERS)
  @ApiOperation({ operationId: 'createUser', summary: 'Create an account: platform_admin any, school_admin only school_staff of its own school' })
  @ApiBody({ type: CreateUserRequestDto })
  @ApiCreatedResponse({ type: UserView, description: 'The account, without secrets' })
  @ApiBadRequestResponse({ description: 'Malformed body (a password of fewer than 10 characters included) or invalid-username (field named)' })
  @ApiUnauthorizedResponse({ description: 'No valid access token' })
  @ApiForbiddenResponse({ description: 'Not an account manager, or an account it may not create (code forbidden)' })
  @ApiConflictResponse({ description: 'The username is taken (code username-taken)' })
  @ApiUnprocessableEntityResponse({
    description: 'A role without the schoolId or countyId it needs (school-required, county-required) or with a schoolId it may not have (school-not-allowed), a school that is not registered (unknown-school) or in another county than countyId (county-mismatch), a known-breached or trivial password (weak-password)',
  })
  create(@Body() body: unknown, @CurrentUser() actor: Session): Promise<User> {
    return this.commandBus.execute(new CreateUserCommand(validate(createUserRequest, body), actor));
  }

  @Get()
  @Roles(...ACCOUNT_MANAGERS)
  @ApiOperation({ operationId: 'listUsers', summary: 'The accounts the caller may manage, by username' })
  @ApiPage(UsersPage, 'Not an account manager (code forbidden)')
  list(@Query() query: unknown, @CurrentUser() actor: Session): Promise<Page<User>> {
    return this.queryBus.execute(new ListUsersQuery(validate(pageQuery, query, 'query'), actor));
  }

  @Patch(':id')
  @HttpCode(200)
  @Roles(...ACCOUNT_MANAGERS)
  @ApiOperation({
    operationId: 'updateUser',
    summary: "Change an account's role binding or disabled",
    description: "Any change stops the account's tokens at once, on every replica. An account cannot disable itself or change its own role.",
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiBody({ type: UpdateUserRequestDto, required: true })
  @ApiOkResponse({ type: UserView })
  @ApiBadRequestResponse({ description: 'A missing or malformed body, or a malformed id (field named)' })
  @ApiUnauthorizedResponse({ description: 'No valid access token' })
  @ApiForbiddenResponse({ description: 'A binding the caller may not give (code forbidden)' })
  @ApiNotFoundResponse({ description: 'No account the caller manages has this id (code unknown-user)' })
  @ApiConflictResponse({ description: 'Disabling oneself or changing one’s own role (code own-account)' })
  @ApiUnprocessableEntityResponse({
    description:
      'A binding that is not one: a role and schoolId that do not go together (school-required, school-not-allowed), a school that is not registered (unknown-school), or a county that is not the school’s (county-mismatch)',
  })
  update(@Param() params: unknown, @Body() body: unknown, @CurrentUser() actor: Session): Promise<User> {
    const { id } = validate(userParams, params);
    // Every field is optional, so only this tells a forgotten body from an empty change.
    if (body === undefined) throw new Problem(400, 'missing-field', 'body: required (a JSON object of the fields to change)', 'body');
    return this.commandBus.execute(new UpdateUserCommand(id, validate(updateUserRequest, body), actor));
  }
}
