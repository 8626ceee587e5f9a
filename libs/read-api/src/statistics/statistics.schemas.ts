import type { SchemaObject } from '@nestjs/swagger';
import type { IndicatorKey } from '@lbc/domain';
import { GUARDIAN_TYPES, INDICATOR_KEYS } from '@lbc/domain';

const COUNT: SchemaObject = {
  oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string', enum: ['*'] }],
  description: 'A count; `"*"` when suppressed (from 1 to k−1, or hidden so that such a count cannot be worked out)',
};
const AMOUNT: SchemaObject = { oneOf: [{ type: 'number', minimum: 0 }, { type: 'string', enum: ['*'] }], description: 'Yuan; `"*"` with the person-times' };
const SHARE: SchemaObject = {
  type: 'number',
  minimum: 0,
  maximum: 1,
  nullable: true,
  description: 'A fraction; null when the denominator is zero or suppressed, or the numerator suppressed',
};

const object = (properties: Record<string, SchemaObject>): SchemaObject => ({ type: 'object', required: Object.keys(properties), additionalProperties: false, properties });

/** The value of each indicator key (INDICATORS.md "Indicators"). */
export const INDICATOR_SCHEMAS: Readonly<Record<IndicatorKey, SchemaObject>> = {
  childrenInCare: COUNT,
  leftBehindChildren: COUNT,
  pupils: COUNT,
  pupilShare: SHARE,
  archiveCompleteness: SHARE,
  pairingCoverage: SHARE,
  carerLoad: object({ carers: COUNT, mean: { type: 'number', minimum: 0, nullable: true, description: 'Active pairings per carer' }, max: COUNT, overLimit: COUNT }),
  guardianshipCoverage: SHARE,
  guardianshipByType: object(Object.fromEntries(GUARDIAN_TYPES.map((type) => [type, COUNT]))),
  careCadence: object({ paired: COUNT, talk7d: SHARE, contact30d: SHARE, homeVisit92d: SHARE, aidSemester: SHARE, parentMeeting365d: SHARE }),
  familyContact30d: SHARE,
  dropoutRate: SHARE,
  retentionRate: SHARE,
  returnedAfterDropout: COUNT,
  healthCheckRate: SHARE,
  keyAssistance: object({ children: COUNT, pairedShare: SHARE }),
  aid: object({ personTimes: COUNT, yuan: AMOUNT }),
  incidents: object({ count: COUNT, withinDeadline: object({ guardian: SHARE, parents: SHARE, educationBureau: SHARE, townshipGovernment: SHARE }), open: COUNT }),
  careHomes: object({ homes: COUNT, childrenServed: COUNT, activities: COUNT }),
  volunteers: object({ active: COUNT, pairings: COUNT, activities: COUNT }),
};

const INDICATOR_VALUE: SchemaObject = {
  anyOf: [...new Set(Object.values(INDICATOR_SCHEMAS))],
  description: 'The value of the indicator asked for, as under `indicators` of GET /api/v1/stats',
};

const header = {
  scope: { type: 'string', example: 'county:wangcang' },
  asOf: { type: 'string', format: 'date' },
  from: { type: 'string', format: 'date' },
  recordedBy: { type: 'string', format: 'date-time', description: 'Present when the query gave one' },
  dataAsOf: { type: 'string', format: 'date-time', nullable: true, description: '`recordedAt` of the newest event the read models hold; null while they hold none' },
  suppressed: { type: 'boolean', description: 'Whether any cell of the answer is hidden (`"*"`, or a share null because of one)' },
} satisfies Record<string, SchemaObject>;
const REQUIRED_HEADER = ['scope', 'asOf', 'from', 'dataAsOf', 'suppressed'];

export const STATISTICS_SCHEMA: SchemaObject = {
  type: 'object',
  required: [...REQUIRED_HEADER, 'indicators'],
  additionalProperties: false,
  properties: { ...header, indicators: { type: 'object', required: [...INDICATOR_KEYS], additionalProperties: false, properties: INDICATOR_SCHEMAS } },
};

export const SERIES_SCHEMA: SchemaObject = {
  type: 'object',
  required: [...REQUIRED_HEADER, 'indicator', 'points'],
  additionalProperties: false,
  properties: {
    ...header,
    indicator: { type: 'string', enum: [...INDICATOR_KEYS] },
    points: {
      type: 'array',
      description: 'Oldest first: the month-ends before asOf, then asOf itself',
      items: object({ asOf: { type: 'string', format: 'date' }, from: { type: 'string', format: 'date' }, value: INDICATOR_VALUE }),
    },
  },
};

export const BREAKDOWN_SCHEMA: SchemaObject = {
  type: 'object',
  required: [...REQUIRED_HEADER, 'by', 'indicator', 'rows', 'total'],
  additionalProperties: false,
  properties: {
    ...header,
    by: { type: 'string', enum: ['township', 'school'] },
    indicator: { type: 'string', enum: [...INDICATOR_KEYS] },
    rows: {
      type: 'array',
      description: 'Every unit of the scope, zeros included, in unit-id order',
      items: {
        type: 'object',
        required: ['unit', 'name', 'value'],
        additionalProperties: false,
        properties: {
          unit: { type: 'string', example: 'school:11111111-1111-4111-8111-111111111111' },
          name: { type: 'string' },
          townshipId: { type: 'string', description: 'A school row’s township' },
          value: INDICATOR_VALUE,
        },
      },
    },
    total: object({ unit: { type: 'string', description: 'The scope' }, value: INDICATOR_VALUE }),
  },
};

/** `GET /api/v1/read-models/children-in-care`. */
export const CHILDREN_IN_CARE_SCHEMA: SchemaObject = object({
  scope: header.scope,
  asOf: header.asOf,
  recordedBy: { type: 'string', format: 'date-time', nullable: true },
  dataAsOf: header.dataAsOf,
  suppressed: header.suppressed,
  childrenInCare: COUNT,
  leftBehindChildren: COUNT,
});
