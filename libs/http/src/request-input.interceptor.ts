import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import express from 'express';
import { from, switchMap } from 'rxjs';
import type { Observable } from 'rxjs';
import { ID_PATTERN, unstorableTextAt } from '@lbc/domain';
import { Problem } from './problem';

const EVENTS_PATH = '/api/v1/events';
const ROSTER_PATH = /^\/api\/v1\/schools\/[^/]+\/roster$/;
// Submitted reports come as files (JSON, CSV or XLSX) like rosters.
const REPORT_CHECK_PATH = '/api/v1/stats/report-checks';
const EVENT_TYPES = ['application/json', 'application/x-ndjson', 'application/ndjson'];

/** How a request's body is read: not at all (GET, HEAD), as text (events), as bytes (rosters) or as JSON. */
export type BodyKind = 'none' | 'text' | 'bytes' | 'json';

export function bodyKindOf(method: string, path: string): BodyKind {
  if (method === 'GET' || method === 'HEAD') return 'none';
  if (ROSTER_PATH.test(path) || path === REPORT_CHECK_PATH) return 'bytes';
  return path === EVENTS_PATH ? 'text' : 'json';
}

function run(reader: RequestHandler, request: Request, response: Response): Promise<void> {
  return new Promise((resolve, reject) => reader(request, response, (error?: unknown) => (error ? reject(error) : resolve())));
}

/**
 * Reads and checks what a request carries, for every endpoint alike. It runs after the guards, so
 * a caller without a valid token is answered 401 before a byte of its body is read. Bodies: events
 * as text (the controller parses JSON, arrays and NDJSON), rosters as bytes, the rest as JSON; a
 * body of another media type is 415, one above its limit 413. Then nothing that reaches a handler
 * may hold text PostgreSQL cannot store (a NUL, an unpaired surrogate), and every path parameter
 * is an id (`ID_PATTERN`): 400 naming the field, before anything is read or written.
 */
export class RequestInputInterceptor implements NestInterceptor {
  private readonly text: RequestHandler;
  private readonly bytes: RequestHandler;
  private readonly json: RequestHandler;

  constructor(maxBodyBytes: number) {
    this.text = express.text({ type: () => true, limit: maxBodyBytes });
    this.bytes = express.raw({ type: () => true, limit: maxBodyBytes });
    this.json = express.json({ type: () => true, limit: '1mb' });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return from(this.read(http.getRequest<Request>(), http.getResponse<Response>())).pipe(switchMap(() => next.handle()));
  }

  private async read(request: Request, response: Response): Promise<void> {
    for (const [name, value] of Object.entries(request.params ?? {})) {
      if (typeof value === 'string' && !ID_PATTERN.test(value)) {
        throw new Problem(400, 'invalid-value', `${name}: an id of 1–128 letters, digits and . _ : -`, name);
      }
    }
    this.refuseUnstorable(request.query, 'query');
    await this.readBody(request, response);
    if (typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body)) this.refuseUnstorable(request.body);
  }

  private async readBody(request: Request, response: Response): Promise<void> {
    const declared = request.headers['content-type'] !== undefined;
    switch (bodyKindOf(request.method, request.path)) {
      case 'none':
        return;
      case 'bytes':
        return run(this.bytes, request, response);
      case 'text':
        if (declared && request.is(EVENT_TYPES) === false) throw this.unsupported(request, EVENT_TYPES);
        return run(this.text, request, response);
      case 'json':
        if (declared && request.is(['application/json', '+json']) === false) throw this.unsupported(request, ['application/json']);
        // The JSON parser reads zero bytes as {}: left unread, an empty body stays a missing one.
        if (request.headers['content-length'] === '0') return;
        return run(this.json, request, response);
    }
  }

  private unsupported(request: Request, accepted: readonly string[]): Problem {
    return new Problem(415, 'unsupported-media-type', `${request.headers['content-type']} is not accepted here; send ${accepted.join(' or ')}`, undefined, {
      accepted,
    });
  }

  private refuseUnstorable(value: unknown, prefix?: string): void {
    const field = unstorableTextAt(value, prefix === undefined ? [] : [prefix]);
    if (field !== null) throw new Problem(400, 'invalid-value', `${field || 'the body'}: text with a NUL character or an unpaired surrogate`, field);
  }
}
