import type { CarerOrganisation, CarerRole } from '../interchange/enumerations';
import type { StoredCarerEvent } from '../interchange/submitted-event';
import { unreachable } from '../unreachable';

export type CarerState = { readonly status: 'unregistered' } | RegisteredCarer;

export const initialCarerState = (): CarerState => ({ status: 'unregistered' });

export interface RegisteredCarer {
  readonly status: 'registered';
  readonly registeredAt: string;
  /** The school the carer works for; null for carers of other organisations. */
  readonly schoolId: string | null;
  readonly organisation: CarerOrganisation;
  readonly role: CarerRole;
  readonly partyMember: boolean;
  /** `occurredAt` of `CarerRetired`; a retired carer's pairings are no longer active. */
  readonly retiredAt: string | null;
  readonly erased: boolean;
  readonly personalFields: readonly string[];
}

export function evolveCarer(state: CarerState, event: StoredCarerEvent): CarerState {
  const { type, occurredAt, data } = event;
  if (type === 'CarerRegistered') {
    return {
      status: 'registered',
      registeredAt: occurredAt,
      schoolId: data.schoolId ?? null,
      organisation: data.organisation,
      role: data.role,
      partyMember: data.partyMember,
      retiredAt: null,
      erased: false,
      personalFields: data.personalFields ?? [],
    };
  }
  // Decide refuses every other event on an unregistered carer: there is nothing to fold into.
  if (state.status === 'unregistered') return state;
  switch (type) {
    case 'CarerRetired':
      return { ...state, retiredAt: occurredAt };
    case 'PersonalDataErased':
      return { ...state, erased: true };
    default:
      return unreachable('carer event', type);
  }
}
