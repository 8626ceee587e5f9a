import { randomUUID } from 'node:crypto';

/** Submitted events for tests, valid unless overridden. */
export function childRegistered(childId: string, schoolId: string, data: Record<string, unknown> = {}, occurredAt = '2025-03-01T09:00:00+08:00') {
  return {
    eventId: randomUUID(),
    type: 'ChildRegistered',
    childId,
    occurredAt,
    data: {
      schoolId,
      grade: 4,
      className: '4(2)班',
      gender: 'female',
      birthMonth: '2015-06',
      category: 'left-behind',
      parentsAway: 'both',
      guardianType: 'grandparent',
      personal: { name: '王小花', homeAddress: '东城镇石板村3组', guardian: { name: '王大爷', relation: '祖父', phone: '13800000000' } },
      ...data,
    },
  };
}

export function carerRegistered(carerId: string, schoolId: string) {
  return {
    eventId: randomUUID(),
    type: 'CarerRegistered',
    carerId,
    occurredAt: '2025-02-01T09:00:00+08:00',
    data: { schoolId, organisation: 'school', role: 'head-teacher', partyMember: true, personal: { name: '李老师' } },
  };
}

export function childEvent(type: string, childId: string, data: Record<string, unknown>, occurredAt = '2025-03-10T10:00:00+08:00') {
  return { eventId: randomUUID(), type, childId, occurredAt, data };
}

export function ndjson(events: readonly object[]): string {
  return events.map((event) => JSON.stringify(event)).join('\n');
}
