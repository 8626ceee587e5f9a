import type { SchemaObject } from '@nestjs/swagger';

/** RFC 3339 `date-time`, as JSON Schema's format checkers take it: seconds and an offset required. */
const RFC_3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Where a value departs from an OpenAPI 3.0 schema of the kinds this API documents (type,
 * nullable, enum, oneOf, anyOf, properties, required, additionalProperties, items, minimum,
 * maximum, date formats): the responses are checked against the published document with it.
 */
export function schemaErrors(schema: SchemaObject, value: unknown, path = '$'): string[] {
  if (value === null) return schema.nullable ? [] : [`${path}: null`];
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((option) => schemaErrors(option as SchemaObject, value, path).length === 0).length;
    return matching === 1 ? [] : [`${path}: ${JSON.stringify(value)} matches ${matching} of oneOf`];
  }
  if (schema.anyOf) return schema.anyOf.some((option) => schemaErrors(option as SchemaObject, value, path).length === 0) ? [] : [`${path}: ${JSON.stringify(value)} matches no anyOf`];
  if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} not in enum`];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
      const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
      const record = value as Record<string, unknown>;
      return [
        ...(schema.required ?? []).filter((key) => !(key in record)).map((key) => `${path}.${key}: missing`),
        ...Object.keys(record).flatMap((key) =>
          key in properties ? schemaErrors(properties[key], record[key], `${path}.${key}`) : schema.additionalProperties === false ? [`${path}.${key}: not documented`] : [],
        ),
      ];
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => schemaErrors(schema.items as SchemaObject, item, `${path}[${i}]`)) : [`${path}: not an array`];
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) return [`${path}: ${JSON.stringify(value)} not ${schema.type}`];
      const low = schema.minimum !== undefined && value < schema.minimum;
      const high = schema.maximum !== undefined && value > schema.maximum;
      return low || high ? [`${path}: ${value} out of range`] : [];
    }
    case 'string':
      if (typeof value !== 'string') return [`${path}: ${JSON.stringify(value)} not a string`];
      if (schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return [`${path}: not a date`];
      if (schema.format === 'date-time' && (!RFC_3339_DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) return [`${path}: not a date-time`];
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    default:
      return [];
  }
}
