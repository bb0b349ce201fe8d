// Anthropic's error shape: `{"type":"error","error":{"type","message"},"request_id"}` with the
// status-to-type table of provider-facts §1.12, and the plugin's error handler, which answers
// body-parser failures (malformed JSON, too large) in the same shape.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorKind } from '../../core/model/types.ts';

export const ANTHROPIC_ERROR_TYPES = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
} as const;
export type AnthropicStatus = keyof typeof ANTHROPIC_ERROR_TYPES;

/** The model's error kinds on the Anthropic wire. */
export const STATUS_FOR_KIND = {
  invalid_request: 400,
  not_found: 404,
  rate_limit: 429,
  overloaded: 529,
  internal: 500,
} as const satisfies Record<ErrorKind, AnthropicStatus>;

export const anthropicErrorBody = (status: AnthropicStatus, message: string, requestId: string) => ({
  type: 'error',
  error: { type: ANTHROPIC_ERROR_TYPES[status], message },
  request_id: requestId,
});

export const sendAnthropicError = (reply: FastifyReply, status: AnthropicStatus, message: string): FastifyReply =>
  reply
    .code(status)
    .header('request-id', reply.request.id)
    // SDKs retry 429 and 5xx; say so explicitly, as the real API does.
    .header('x-should-retry', status === 429 || status >= 500 ? 'true' : 'false')
    .send(anthropicErrorBody(status, message, reply.request.id));

const MAX_BYTES_MESSAGE = 'Request exceeds the maximum allowed number of bytes.';

/** Body-parser and unexpected errors, answered as the API would. */
export const anthropicErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
  const status = error.statusCode ?? 500;
  if (status === 413) {
    void sendAnthropicError(reply, 413, MAX_BYTES_MESSAGE);
  } else if (status >= 400 && status < 500) {
    // Malformed JSON, an empty body or a content type other than JSON: all 400 on this API.
    void sendAnthropicError(reply, 400, error instanceof SyntaxError ? `There was an error parsing the body: ${error.message}` : error.message);
  } else {
    request.log.error(error);
    void sendAnthropicError(reply, 500, 'Internal server error');
  }
};
