import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';

/** RFC 9457 problem details, as every error of the API is answered (API.md "Errors"). */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:lbc:problem:invalid-value' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable, machine-readable reason' },
    field: { type: 'string', description: 'The request part at fault, e.g. `query.asOf`' },
  },
};

/**
 * The error answers of a read endpoint: 400 (a parameter breaks its own documented schema), 401,
 * 403, 404, and 422 (schema-valid parameters that break a rule between them) where one can.
 */
export function ApiReadProblems(descriptions: { readonly badRequest: string; readonly forbidden: string; readonly notFound: string; readonly unprocessable?: string }) {
  const problem = (status: number, description: string) => ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } } });
  return applyDecorators(
    problem(400, descriptions.badRequest),
    problem(401, 'No valid access token (code unauthorized or invalid-token)'),
    problem(403, descriptions.forbidden),
    problem(404, descriptions.notFound),
    ...(descriptions.unprocessable === undefined ? [] : [problem(422, descriptions.unprocessable)]),
  );
}
