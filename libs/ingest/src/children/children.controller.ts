import { Controller, Get, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Session } from '@lbc/http';
import { CurrentUser, Roles } from '@lbc/http';
import { ChildFileView } from './child-file.dto';
import { GetChildFileQuery } from './get-child-file.query';

@ApiTags('children')
@Controller('api/v1/children')
export class ChildrenController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':childId')
  @Roles('school_staff', 'school_admin', 'platform_admin', 'auditor')
  @ApiOperation({
    operationId: 'getChildFile',
    summary: "One child's file (一人一档) with its history; personal data decrypted for school roles and platform_admin only, each read recorded in the access log",
    description: 'A school the child left sees what it wrote; an auditor the events recorded while the child was at a school of its county.',
  })
  @ApiOkResponse({ type: ChildFileView })
  @ApiUnauthorizedResponse({ description: 'No valid access token' })
  @ApiForbiddenResponse({ description: 'County roles: a child file is not an aggregate (code forbidden)' })
  @ApiNotFoundResponse({ description: 'No such child, a child of another school, or (auditors) of another county (code unknown-child)' })
  file(@Param('childId') childId: string, @CurrentUser() actor: Session, @Req() request: Request): Promise<ChildFileView> {
    return this.queryBus.execute(new GetChildFileQuery(childId, actor, request.requestId ?? null));
  }
}
