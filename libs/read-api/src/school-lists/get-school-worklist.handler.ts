import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { schoolWorklist } from '@lbc/read-models';
import { GetSchoolWorklistQuery } from './get-school-worklist.query';
import { CHILD_NAMING, SchoolListReader } from './school-list-reader';
import type { SchoolWorklistPage } from './school-lists.dto';

@QueryHandler(GetSchoolWorklistQuery)
export class GetSchoolWorklistHandler implements IQueryHandler<GetSchoolWorklistQuery> {
  constructor(private readonly reader: SchoolListReader) {}

  execute({ schoolId, asOf, limit, after, actor, requestId }: GetSchoolWorklistQuery): Promise<SchoolWorklistPage> {
    return this.reader.read({ actor, requestId }, schoolId, asOf, CHILD_NAMING, (readModels, day, now) =>
      schoolWorklist(readModels, { schoolId, asOf: day, now: now.toISOString(), limit, after }),
    );
  }
}
