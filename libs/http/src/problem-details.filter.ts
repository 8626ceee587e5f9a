import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { ProblemBody } from './problem';
import { Problem, problemBody, PROBLEM_CONTENT_TYPE } from './problem';

const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'too-many-requests',
};

/** What body-parser raises for a body it cannot read: always the client's fault. */
interface BodyParserError {
  readonly type: string;
  readonly status: number;
  readonly limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string' && typeof (error as BodyParserError).status === 'number'
  );
}

/** An HttpException whose body is already a problem (endpoints outside this lib build their own). */
function isProblemShaped(response: unknown): response is { code: string; detail: string; field?: string } {
  const candidate = response as { code?: unknown; detail?: unknown; field?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.code === 'string' &&
    typeof candidate.detail === 'string' &&
    (candidate.field === undefined || typeof candidate.field === 'string')
  );
}

/** Problem details for anything thrown while serving a request; never a stack trace in the answer. */
export function problemOf(error: unknown, requestId: string | undefined, logger: Logger): ProblemBody {
  if (error instanceof Problem) return error.body;
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') {
      return problemBody(413, 'payload-too-large', `The request body exceeds the limit of ${error.limit} bytes`, undefined, { limit: error.limit });
    }
    if (error.type === 'entity.parse.failed') return problemBody(400, 'malformed-json', 'The request body is not valid JSON');
    if (error.status >= 400 && error.status < 500)
      return problemBody(error.status, CODE_OF_STATUS[error.status] ?? 'bad-request', `The request body cannot be read (${error.type})`);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    if (status < 500 && isProblemShaped(response)) return problemBody(status, response.code, response.detail, response.field);
    const detail = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    if (status < 500) return problemBody(status, CODE_OF_STATUS[status] ?? 'bad-request', detail);
  }
  logger.error({ err: error, requestId }, 'unhandled error');
  return problemBody(500, 'internal-error', `Internal error; quote request id ${requestId ?? 'unknown'}`);
}

export function sendProblem(response: Response, body: ProblemBody): void {
  response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    sendProblem(http.getResponse<Response>(), problemOf(error, request.requestId, this.logger));
  }
}
