import { refuseFutureOccurredAt, refuseOtherSchool } from '../command-metadata';
import type { CommandMetadata } from '../command-metadata';
import { withPersonalFields } from '../interchange/personal-fields';
import type { CarerEvent, StoredCarerEvent } from '../interchange/submitted-event';
import { refusal } from '../refusal';
import type { Refusal } from '../refusal';
import type { SchoolState } from '../school/school.events';
import type { CarerState } from './carer.events';
import { unreachable } from '../unreachable';

/** Record a submitted carer event (`CarerRegistered`, `CarerRetired`, `PersonalDataErased`). */
export interface RecordCarerEvent {
  readonly type: 'RecordCarerEvent';
  readonly carerId: string;
  readonly event: CarerEvent;
  readonly metadata: CommandMetadata;
}

export type CarerCommand = RecordCarerEvent;

export interface CarerContext {
  /**
   * The school named by `CarerRegistered`'s `data.schoolId`, folded from its stream (unregistered
   * or null: no such school). Not consulted for other events or when no schoolId is given.
   */
  readonly school: SchoolState | null;
}

export function decideCarer(command: CarerCommand, state: CarerState, context: CarerContext): StoredCarerEvent[] | Refusal {
  if (command.type === 'RecordCarerEvent') return recordCarerEvent(command, state, context);
  return unreachable('carer command', command.type);
}

function recordCarerEvent({ carerId, event, metadata }: RecordCarerEvent, state: CarerState, context: CarerContext): StoredCarerEvent[] | Refusal {
  const refused = refuseFutureOccurredAt(event.occurredAt, metadata) ?? refuseByCarerRules(carerId, event, metadata, state, context);
  if (refused) return refused;
  return [withPersonalFields({ type: event.type, occurredAt: event.occurredAt, data: event.data } as CarerEvent)];
}

function refuseByCarerRules(carerId: string, event: CarerEvent, metadata: CommandMetadata, state: CarerState, context: CarerContext): Refusal | null {
  if (event.type === 'CarerRegistered') {
    if (state.status === 'registered') return refusal('already-registered', 'carerId', `carer ${carerId} is already registered`);
    const { schoolId } = event.data;
    if (schoolId === undefined) return null;
    if (context.school === null || context.school.status === 'unregistered') {
      return refusal('unknown-school', 'data.schoolId', `school ${schoolId} is not registered`);
    }
    return refuseOtherSchool(metadata, schoolId, 'data.schoolId');
  }
  if (state.status === 'unregistered') return refusal('unknown-carer', 'carerId', `carer ${carerId} is not registered`);
  // Carers of other organisations serve the whole county; only a school's own carers are its to change.
  if (state.schoolId !== null) {
    const other = refuseOtherSchool(metadata, state.schoolId, 'carerId');
    if (other) return other;
  }
  switch (event.type) {
    case 'CarerRetired':
      return state.retiredAt === null ? null : refusal('carer-retired', 'carerId', `carer ${carerId} retired at ${state.retiredAt}`);
    case 'PersonalDataErased':
      return state.erased ? refusal('already-erased', 'carerId', `carer ${carerId}'s personal data is already erased`) : null;
    default:
      return unreachable('carer event', event);
  }
}
