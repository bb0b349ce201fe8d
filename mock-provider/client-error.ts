// Requests Node's HTTP parser refuses before fastify sees them (a malformed request line, headers
// too large, a body that never finishes): fastify's default answers `{"error","message",
// "statusCode"}`, a shape neither provider uses (issue 16, item 12). These answer in the served
// wire's own error shape. No route was reached, so there is no exchange and no ledger row, as on
// a real provider, whose load balancer refuses such requests before any API server sees them.

import type { Socket } from 'node:net';
import type { Wire } from './wire-of.ts';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

const statusFor = (code: string | undefined): number =>
  code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;

const messageFor = (status: number): string =>
  status === 431 ? 'Request headers are too large.' : status === 408 ? 'The request took too long to arrive.' : 'The request could not be parsed as HTTP.';

export const clientErrorBody = (wire: Wire, status: number): string => {
  const message = messageFor(status);
  return JSON.stringify(
    wire === 'anthropic'
      ? { type: 'error', error: { type: 'invalid_request_error', message } }
      : { error: { message, type: 'invalid_request_error', param: null, code: null } },
  );
};

export const clientErrorHandler =
  (wire: Wire) =>
  (error: NodeJS.ErrnoException, socket: Socket): void => {
    // A reset or a client already gone: there is no one to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = statusFor(error.code);
    const body = clientErrorBody(wire, status);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nx-should-retry: false\r\n\r\n${body}`,
    );
  };
