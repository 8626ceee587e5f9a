import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { SchoolCareHome, SchoolCarer } from '@lbc/read-models';
import { schoolCareHomes, schoolCarers } from '@lbc/read-models';
import { ListSchoolRegisterQuery } from './list-school-register.query';
import { SchoolListReader } from './school-list-reader';
import type { SchoolCareHomesPage, SchoolCarersPage } from './school-lists.dto';

@QueryHandler(ListSchoolRegisterQuery)
export class ListSchoolRegisterHandler implements IQueryHandler<ListSchoolRegisterQuery> {
  constructor(private readonly reader: SchoolListReader) {}

  execute({ register, schoolId, limit, after, actor, requestId }: ListSchoolRegisterQuery): Promise<SchoolCarersPage | SchoolCareHomesPage> {
    const context = { actor, requestId };
    if (register === 'carers') {
      return this.reader.read<SchoolCarer>(context, schoolId, null, { kind: 'carer', idOf: (carer) => carer.carerId }, (readModels, asOf) => schoolCarers(readModels, { schoolId, asOf, limit, after }));
    }
    return this.reader.read<SchoolCareHome>(context, schoolId, null, null, (readModels, asOf) => schoolCareHomes(readModels, { schoolId, asOf, limit, after }));
  }
}
