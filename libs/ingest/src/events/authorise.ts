import type { CarerState, ChildState, SubmittedEvent } from '@lbc/domain';
import { subjectOf } from '@lbc/domain';
import type { Session } from '../auth/session';
import type { SubjectState } from './aggregates';
import type { Rejection } from './rejection';
import { rejection } from './rejection';

/**
 * Who may write which subject (API.md): `platform_admin` anything; a school role its own
 * school's children, carers and school stream, where a child belongs to the school it is enrolled
 * at (the new school after a transfer, which also writes the `transferred-in`). Unknown subjects
 * pass here and are refused by the domain (`unknown-child`, …).
 */
export function refuseForbidden(actor: Session, event: SubmittedEvent, state: SubjectState): Rejection | null {
  if (actor.role === 'platform_admin') return null;
  const own = actor.schoolId;
  const forbidden = (field: string, why: string) => rejection('forbidden', field, `${actor.role} may not write this event: ${why}`);
  if (own === undefined) return forbidden('type', 'only school roles and platform_admin write events');
  const subject = subjectOf(event);
  switch (subject.kind) {
    case 'school':
      return subject.id === own ? null : forbidden('schoolId', `school ${subject.id} is not yours`);
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
      if (child.status === 'unregistered' || child.schoolId === own) return null;
      const enrolsHere = event.type === 'EnrollmentChanged' && ['transferred-in', 'returned'].includes(event.data.change) && event.data.schoolId === own;
      return enrolsHere ? null : forbidden('childId', `child ${subject.id} is not enrolled at your school`);
    }
  }
}
