import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
  }
}

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Echoes the caller's `X-Request-Id` (or makes one) on every response, and logs each request once
 * it is answered. The log carries method, route path, status, duration and user id: never a query
 * string or body, which may hold personal data.
 */
export function requestIdMiddleware(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const given = request.header('x-request-id');
    request.requestId = given && ACCEPTABLE_ID.test(given) ? given : randomUUID();
    response.setHeader('X-Request-Id', request.requestId);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      logger.info(
        {
          requestId: request.requestId,
          method: request.method,
          path: request.path,
          status: response.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          userId: (request as { user?: { userId?: string } }).user?.userId,
        },
        'request',
      );
    });
    next();
  };
}
