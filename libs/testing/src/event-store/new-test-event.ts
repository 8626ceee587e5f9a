import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@lbc/event-store';

/** A valid event with a fresh id; `overrides` replace whole fields. */
export function newTestEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CareActivityRecorded',
    schemaVersion: 1,
    occurredAt: '2025-03-14T09:30:00+08:00',
    data: {
      activityId: randomUUID(),
      kind: 'talk',
      minutes: 20,
      carerId: 'carer-1',
      personal: { sealed: 'AAEC' },
    },
    metadata: {
      recordedBy: 'user-1',
      schoolId: 'school-1',
      countyId: 'county-1',
      correlationId: randomUUID(),
      causationId: null,
    },
    ...overrides,
  };
}

/** A stream name of its own for each test, so tests sharing a store never see each other's streams. */
export function newTestStreamId(prefix = 'child'): string {
  return `${prefix}-${randomUUID()}`;
}
