import { applyDecorators } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** `?limit=&cursor=` of API.md's paginated lists; the cursor is checked by the list it belongs to. */
export const pageQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_LIMIT, `must be a whole number from 1 to ${MAX_LIMIT}`)
    .default(DEFAULT_LIMIT),
  cursor: z.string().min(1).max(200).optional(),
});

/** The OpenAPI side of a list endpoint: `pageQuery`, one `page` or 400 for a bad limit or cursor, and who else is refused (403). */
export const ApiPage = (page: Type<unknown>, forbidden: string) =>
  applyDecorators(
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } }),
    ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' }),
    ApiOkResponse({ type: page }),
    ApiBadRequestResponse({ description: 'A bad limit or a cursor this list did not hand out (field query.limit, cursor)' }),
    ApiForbiddenResponse({ description: forbidden }),
  );
