import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem details, as every error of the API is answered (API.md). */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Stable, machine-readable reason. */
  readonly code: string;
  /** JSON path into the request, when one field is at fault. */
  readonly field?: string;
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemBody(
  status: number,
  code: string,
  detail: string,
  field?: string,
  extensions: Readonly<Record<string, unknown>> = {},
): ProblemBody {
  return {
    type: `urn:lbc:problem:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(field === undefined ? {} : { field }),
    ...extensions,
  };
}

/** Thrown by controllers and handlers; the problem-details filter answers it as is. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly field?: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  get body(): ProblemBody {
    return problemBody(this.status, this.code, this.message, this.field, this.extensions);
  }
}
