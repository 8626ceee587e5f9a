import { Injectable } from '@nestjs/common';
import type { SchoolState } from '@lbc/domain';
import { SubjectStreams } from '../events/subject-streams';
import { Problem } from '@lbc/http';

/**
 * A school role is bound to a registered school, and so to that school's county: the county an
 * account of it gets is the school's, whatever the request says (a mismatch is refused).
 */
@Injectable()
export class SchoolCounty {
  constructor(private readonly streams: SubjectStreams) {}

  async of(schoolId: string, givenCountyId: string | undefined): Promise<string> {
    // Read afresh: a school registered through another replica is not in this one's cache yet.
    const school = (await this.streams.reload('school', schoolId)).state as SchoolState;
    if (school.status !== 'registered') throw new Problem(422, 'unknown-school', `school ${schoolId} is not registered`, 'schoolId');
    if (givenCountyId !== undefined && givenCountyId !== school.countyId) {
      throw new Problem(422, 'county-mismatch', `school ${schoolId} is in county ${school.countyId}`, 'countyId');
    }
    return school.countyId;
  }
}
