import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemBody, PROBLEM_CONTENT_TYPE } from './problem';

/**
 * Requests Node's HTTP parser refuses before any handler runs (headers above the size limit,
 * malformed HTTP, a request that timed out) are answered as problem details too, not with Node's
 * bare status line.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, code, detail] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'header-fields-too-large', 'The request headers exceed the size limit']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request-timeout', 'The request was not received in time']
          : [400, 'malformed-request', 'The request is not valid HTTP/1.1'];
    const body = JSON.stringify(problemBody(status, code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
