import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { Session } from '../auth/session';
import { ChildFileView } from './child-file.dto';
import { GetChildFileQuery } from './get-child-file.query';

@ApiTags('children')
@ApiBearerAuth()
@Controller('api/v1/children')
export class ChildrenController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':childId')
  @Roles('school_staff', 'school_admin', 'platform_admin', 'auditor')
  @ApiOperation({ summary: "One child's file (一人一档) with its history; personal data decrypted for school roles and platform_admin only" })
  @ApiOkResponse({ type: ChildFileView })
  @ApiNotFoundResponse({ description: 'No such child, or a child of another school (code unknown-child)' })
  file(@Param('childId') childId: string, @CurrentUser() actor: Session): Promise<ChildFileView> {
    return this.queryBus.execute(new GetChildFileQuery(childId, actor));
  }
}
