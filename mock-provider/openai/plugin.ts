// POST /v1/chat/completions: OpenAI Chat Completions over the provider model. Its own error
// handler answers in OpenAI's error shape; the ledger row is written by the app's ledger hook.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { callModel, type Exchange, type ModelCall } from '../exchange.ts';
import { sendJsonText } from '../json-reply.ts';
import { retryAfterHeaders } from '../retry-after.ts';
import { completionJson } from './completion.ts';
import { goDuration, putOpenAIRateLimitHeaders } from './headers.ts';
import { INTERNAL_ERROR, invalidRequest, MISSING_KEY_MESSAGE, openaiErrorHandler, OVERLOADED, sendOpenAIError, type OpenAIError } from './errors.ts';
import { maxTokensOf, openaiParam, parseChatRequest, retentionOf } from './parse.ts';
import { openaiSegments } from './segments.ts';
import { streamCompletion } from './stream.ts';

const exchangeOf = (request: FastifyRequest): Exchange => {
  if (request.exchange === null) throw new Error('ledger hook did not open an exchange for a model route');
  return request.exchange;
};

/** The model's refusal in OpenAI's words and status. */
const wireError = (app: FastifyInstance, call: ModelCall, requested: string, tenant: string): { status: number; error: OpenAIError } => {
  const { outcome } = call;
  const error = outcome.error;
  switch (error?.kind) {
    case 'not_found':
      return {
        status: 404,
        error: invalidRequest(`The model \`${requested}\` does not exist or you do not have access to it.`, null, 'model_not_found'),
      };
    case 'rate_limit': {
      const requestsLeft = call.rateLimits.find((s) => s.dimension === 'requests')?.remaining ?? 1;
      const wait = goDuration(app.mock.clock.toWallMs(outcome.retryAfterMs));
      return {
        status: 429,
        error: {
          message: `Rate limit reached for ${outcome.model} in organization ${tenant}: ${error.message} Please try again in ${wait}.`,
          type: requestsLeft < 1 ? 'requests' : 'tokens',
          param: null,
          code: 'rate_limit_exceeded',
        },
      };
    }
    case 'overloaded':
      return { status: 503, error: OVERLOADED };
    case 'internal':
      return { status: 500, error: INTERNAL_ERROR };
    default:
      return { status: 400, error: invalidRequest(error?.message ?? 'invalid request', error?.param ?? null) };
  }
};

const handleCompletions = async (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
  const exchange = exchangeOf(request);
  const parsed = parseChatRequest(request.body);
  if (!parsed.ok) return sendOpenAIError(reply, 400, invalidRequest(parsed.error.message, openaiParam(parsed.error.param) || null));
  const { body } = parsed;
  const call = callModel(app, exchange, {
    model: body.model,
    segments: openaiSegments(body, app.mock.describeText.openai),
    maxTokens: maxTokensOf(body),
    promptCacheKey: body.prompt_cache_key ?? undefined,
    retention: retentionOf(body),
  });
  const { outcome } = call;
  const headers = putOpenAIRateLimitHeaders({ 'x-request-id': request.id }, call.rateLimits, call.nowMs, app.mock.clock);
  if (outcome.status !== 200) {
    if (outcome.status === 429) Object.assign(headers, retryAfterHeaders(outcome.retryAfterMs, app.mock.clock));
    const { status, error } = wireError(app, call, body.model, exchange.tenant ?? '');
    return sendOpenAIError(reply.headers(headers), status, error);
  }
  if (body.stream === true) return streamCompletion(reply, call, app.mock.clock, headers, body.stream_options?.include_usage === true);
  // Under a millisecond of wall time there is nothing to wait for, and an await costs a turn.
  if (app.mock.clock.toWallMs(outcome.latencyMs) >= 1) await app.mock.clock.wait(outcome.latencyMs);
  return sendJsonText(reply, headers, completionJson(call, request.id));
};

export const openaiPlugin = async (app: FastifyInstance): Promise<void> => {
  app.setErrorHandler(openaiErrorHandler);
  app.addHook('onRequest', (request, reply, done) => {
    if (request.exchange !== null && request.exchange.tenant === undefined) sendOpenAIError(reply, 401, invalidRequest(MISSING_KEY_MESSAGE));
    else done();
  });
  app.post('/v1/chat/completions', { bodyLimit: app.mock.bodyLimitBytes, config: { ledger: true } }, (request, reply) =>
    handleCompletions(app, request, reply),
  );
};
