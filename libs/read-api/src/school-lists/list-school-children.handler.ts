import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { schoolChildren } from '@lbc/read-models';
import { ListSchoolChildrenQuery } from './list-school-children.query';
import { CHILD_NAMING, SchoolListReader } from './school-list-reader';
import type { SchoolChildrenPage } from './school-lists.dto';

@QueryHandler(ListSchoolChildrenQuery)
export class ListSchoolChildrenHandler implements IQueryHandler<ListSchoolChildrenQuery> {
  constructor(private readonly reader: SchoolListReader) {}

  execute({ schoolId, filter, limit, after, actor, requestId }: ListSchoolChildrenQuery): Promise<SchoolChildrenPage> {
    return this.reader.read({ actor, requestId }, schoolId, null, CHILD_NAMING, (readModels, asOf) => schoolChildren(readModels, { schoolId, asOf, filter, limit, after }));
  }
}
