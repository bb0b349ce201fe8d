// POST /v1/messages: the Anthropic Messages API over the provider model. Its own error handler
// answers in Anthropic's error shape; the ledger row is written by the app's ledger hook.

import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Exchange } from '../runtime.ts';
import { callModel } from '../call-model.ts';
import { sendJsonText } from '../json-reply.ts';
import { retryAfterHeaders } from '../retry-after.ts';
import { anthropicErrorHandler, sendAnthropicError, STATUS_FOR_KIND } from './errors.ts';
import { putAnthropicRateLimitHeaders } from './headers.ts';
import { messageJson } from './message.ts';
import { parseCountTokensRequest } from '../../core/wire/anthropic/parse.ts';
import { countPromptTokens } from '../../core/model/provider.ts';
import { apiKeyOf, organisationFor } from '../auth.ts';
import { DRAINING_MESSAGE, ledgerHook, refusedWhileDraining } from '../ledger-hook.ts';
import { anthropicSegments } from '../../core/wire/anthropic/segments.ts';
import { anthropicWire } from '../../core/wire/request.ts';
import { streamMessage } from './stream.ts';
import { anthropicForced } from '../forced-output.ts';

const exchangeOf = (request: FastifyRequest): Exchange => {
  if (request.exchange === null) throw new Error('ledger hook did not open an exchange for a model route');
  return request.exchange;
};

/**
 * Answers synchronously unless there is provider time to wait or a stream to pace: an async
 * handler costs every request a promise, and the reply it resolves to is itself a thenable
 * (fastify's Reply.then), which costs a further job and microtask. Nothing is returned once the
 * reply is sent: fastify would send a returned value (the reply) again.
 */
const handleMessages = (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined => {
  const exchange = exchangeOf(request);
  const wire = anthropicWire(request.body, app.mock.describeText.anthropic, app.model.state.config.caching.maxBreakpoints);
  if (!wire.ok) return void sendAnthropicError(reply, 400, wire.error.message);
  const { body } = wire;
  const forced = anthropicForced(body);
  // Pre-warming cannot force a form (provider-facts §1.6).
  if (forced !== undefined && body.max_tokens === 0) {
    return void sendAnthropicError(reply, 400, 'max_tokens: 0 (cache pre-warming) cannot be combined with a forced tool_choice or output_config.format');
  }

  const call = callModel(app, exchange, wire.request, forced);
  const { outcome } = call;
  const headers = putAnthropicRateLimitHeaders({ 'request-id': request.id }, call.rateLimits, app.mock.clock);
  const streaming = body.stream === true;
  if (outcome.status === 529 && streaming && app.mock.streamOverload === 'mid-stream') {
    return streamMessage(reply, call, app.mock.clock, headers, body.model);
  }
  if (outcome.error !== undefined) {
    if (outcome.status === 429) Object.assign(headers, retryAfterHeaders(outcome.retryAfterMs, app.mock.clock));
    const message = outcome.error.kind === 'not_found' ? `model: ${body.model}` : outcome.error.message;
    return void sendAnthropicError(reply.headers(headers), STATUS_FOR_KIND[outcome.error.kind], message);
  }
  if (streaming) return streamMessage(reply, call, app.mock.clock, headers, body.model);
  // Under a millisecond of wall time there is nothing to wait for, and a wait costs a turn.
  if (app.mock.clock.toWallMs(outcome.latencyMs) >= 1) {
    return app.mock.clock.wait(outcome.latencyMs).then(() => void sendJsonText(reply, headers, messageJson(call, request.id)));
  }
  sendJsonText(reply, headers, messageJson(call, request.id));
  return undefined;
};

/**
 * POST /v1/messages/count_tokens: the prompt's input tokens, counted exactly as /v1/messages
 * counts them (same segments, same tokenizer inflation), with no model call and no ledger row.
 */
const handleCountTokens = (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): FastifyReply | { input_tokens: number } => {
  const key = apiKeyOf(request.headers);
  const resolved = key === undefined ? undefined : organisationFor(key, app.mock.keys);
  if (resolved?.organisation === undefined) {
    return sendAnthropicError(reply, 401, resolved === undefined ? 'x-api-key header is required' : resolved.unknown === true ? 'invalid x-api-key' : resolved.refused);
  }
  const parsed = parseCountTokensRequest(request.body);
  if (!parsed.ok) return sendAnthropicError(reply, 400, parsed.error.message);
  const { config } = app.model.state;
  const cut = anthropicSegments(parsed.body, app.mock.describeText.anthropic, config.caching.maxBreakpoints);
  if (!cut.ok) return sendAnthropicError(reply, 400, cut.error.message);
  const tokens = countPromptTokens(config, parsed.body.model, cut.segments);
  if (tokens === undefined) return sendAnthropicError(reply, 404, `model: ${parsed.body.model}`);
  reply.header('request-id', request.id);
  return { input_tokens: tokens };
};

export const anthropicPlugin = async (app: FastifyInstance): Promise<void> => {
  app.setErrorHandler(anthropicErrorHandler);
  // Checked before the body is read: an unauthenticated client cannot make us parse 32 MB. Runs
  // after the ledger hook, which opened the exchange it reads.
  const gate: onRequestHookHandler = (request, reply, done) => {
    if (refusedWhileDraining(request)) {
      sendAnthropicError(reply.header('connection', 'close'), 529, DRAINING_MESSAGE);
    } else if (request.exchange !== null && request.exchange.tenant === undefined) {
      // An undeclared key gets the API's own words (provider-facts §1.12: 401 authentication_error).
      const { keyRefused, keyUnknown } = request.exchange;
      sendAnthropicError(reply, 401, keyUnknown === true ? 'invalid x-api-key' : (keyRefused ?? 'x-api-key header is required'));
    } else done();
  };
  app.post('/v1/messages', { bodyLimit: app.mock.bodyLimitBytes, onRequest: [ledgerHook, gate] }, (request, reply) =>
    handleMessages(app, request, reply),
  );
  app.post('/v1/messages/count_tokens', { bodyLimit: app.mock.bodyLimitBytes }, async (request, reply) => handleCountTokens(app, request, reply));
};
