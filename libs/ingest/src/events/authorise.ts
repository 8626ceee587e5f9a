import type { CarerState, ChildFile, ChildState, EnrollmentChangedData, SubmittedEvent } from '@lbc/domain';
import { subjectOf } from '@lbc/domain';
import type { Session } from '@lbc/http';
import type { SubjectState } from './aggregates';
import type { Rejection } from './rejection';
import { rejection } from './rejection';

/**
 * Who may write which subject (API.md): `platform_admin` anything; a school role its own
 * school's children, carers and school stream, where a child belongs to the school it is enrolled
 * at. The one event a school writes for a child not yet its own is the `transferred-in` of a
 * transfer out that named it (DOMAIN.md "Rules"), so no other school can take a child over and
 * then read its file. Unknown subjects pass here and are refused by the domain (`unknown-child`, …).
 */
export function refuseForbidden(actor: Session, event: SubmittedEvent, state: SubjectState): Rejection | null {
  if (actor.role === 'platform_admin') return null;
  const own = actor.schoolId;
  const forbidden = (field: string, why: string) => rejection('forbidden', field, `${actor.role} may not write this event: ${why}`);
  if (own === undefined) return forbidden('type', 'only school roles and platform_admin write events');
  const subject = subjectOf(event);
  switch (subject.kind) {
    case 'school':
      if (subject.id !== own) return forbidden('schoolId', `school ${subject.id} is not yours`);
      return event.type === 'SchoolRegistered' && event.data.countyId !== actor.countyId ? forbidden('data.countyId', `your school is in county ${actor.countyId}`) : null;
    case 'carer': {
      if (event.type === 'CarerRegistered') {
        return event.data.schoolId === own ? null : forbidden('data.schoolId', 'a school registers only its own carers');
      }
      const carer = state as CarerState;
      return carer.status === 'unregistered' || carer.schoolId === own ? null : forbidden('carerId', `carer ${subject.id} is not your school's`);
    }
    case 'child': {
      if (event.type === 'ChildRegistered') {
        return event.data.schoolId === own ? null : forbidden('data.schoolId', 'a school registers only its own pupils');
      }
      const child = state as ChildState;
      if (child.status === 'unregistered') return null;
      if (event.type === 'EnrollmentChanged') return refuseEnrollmentChange(event.data, child, own, forbidden);
      return child.schoolId === own ? null : forbidden('childId', `child ${subject.id} is not enrolled at your school`);
    }
  }
}

/**
 * A school records enrollment changes as itself, of its own pupil; while a transfer out is
 * pending, its transfer in is the named school's alone (the old school included, no other may).
 */
function refuseEnrollmentChange(data: EnrollmentChangedData, child: ChildFile, own: string, forbidden: (field: string, why: string) => Rejection): Rejection | null {
  if (data.schoolId !== own) return forbidden('data.schoolId', 'a school records enrollment changes as itself');
  if (data.change === 'transferred-in' && child.enrollment === 'transferred-out') {
    const transfer = child.enrollmentHistory[child.enrollmentHistory.length - 1];
    return transfer.otherSchoolId === own ? null : forbidden('childId', 'the transfer out names another school');
  }
  return child.schoolId === own ? null : forbidden('childId', 'the child is not enrolled at your school');
}
