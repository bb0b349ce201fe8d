// OpenAI's error shape: `{"error":{"message","type","param","code"}}` (provider-facts §2.5), and
// the plugin's error handler for body-parser failures. An overload is a 503 `server_error` on this
// wire (OpenAI has no 529); the ledger still records the model's 529 so that a rehearsal and a
// simulation of the same traffic agree.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export interface OpenAIError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export const sendOpenAIError = (reply: FastifyReply, status: number, error: OpenAIError): FastifyReply =>
  reply
    .code(status)
    .header('x-request-id', reply.request.id)
    .header('x-should-retry', status === 429 || status >= 500 ? 'true' : 'false')
    .send({ error });

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null): OpenAIError => ({
  message,
  type: 'invalid_request_error',
  param,
  code,
});

export const MISSING_KEY_MESSAGE =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

export const OVERLOADED: OpenAIError = {
  message: 'The server is overloaded or not ready yet.',
  type: 'server_error',
  param: null,
  code: null,
};

export const INTERNAL_ERROR: OpenAIError = {
  message: 'The server had an error while processing your request. Sorry about that!',
  type: 'server_error',
  param: null,
  code: null,
};

const PARSE_MESSAGE =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)";

export const openaiErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
  const status = error.statusCode ?? 500;
  if (status === 413) {
    void sendOpenAIError(reply, 413, invalidRequest('Request too large: the body exceeds the maximum allowed number of bytes.', null, 'request_too_large'));
  } else if (status >= 400 && status < 500) {
    void sendOpenAIError(reply, 400, invalidRequest(error instanceof SyntaxError ? PARSE_MESSAGE : error.message));
  } else {
    request.log.error(error);
    void sendOpenAIError(reply, 500, INTERNAL_ERROR);
  }
};
