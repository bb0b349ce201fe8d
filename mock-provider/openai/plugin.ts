// POST /v1/chat/completions and POST /v1/responses: OpenAI's Chat Completions and Responses APIs
// over the provider model, one flow for both. Its own error handler answers in OpenAI's error
// shape; the ledger row is written by the app's ledger hook.

import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { QuotaDimension, QuotaRefusal } from '../../core/model/types.ts';
import type { Clock } from '../clock.ts';
import { callModel, type ModelCall } from '../call-model.ts';
import type { Exchange } from '../runtime.ts';
import { sendJsonText } from '../json-reply.ts';
import { retryAfterHeaders } from '../retry-after.ts';
import type { DescribeText } from '../../core/wire/text-memo.ts';
import { chatWire, responsesWire, type WireResult } from '../../core/wire/request.ts';
import { completionJson } from './completion.ts';
import { createItemStore, expandReferences, type ItemStore } from './responses/item-store.ts';
import { apiKeyOf, redactedKey } from '../auth.ts';
import { chatForced, type ForcedOutput, responsesForced } from '../forced-output.ts';
import { ledgerHook, refusedWhileDraining } from '../ledger-hook.ts';
import { goDuration, putOpenAIRateLimitHeaders } from './headers.ts';
import { INTERNAL_ERROR, invalidRequest, MISSING_KEY_MESSAGE, openaiErrorHandler, OVERLOADED, sendOpenAIError, type OpenAIError } from './errors.ts';
import { type ChatRequest, openaiParam } from '../../core/wire/openai/parse.ts';
import { finalStatus, responseObject } from './responses/body.ts';
import type { ResponsesRequest } from '../../core/wire/openai/responses/parse.ts';
import { streamResponse } from './responses/stream.ts';
import { streamCompletion } from './stream.ts';

const exchangeOf = (request: FastifyRequest): Exchange => {
  if (request.exchange === null) throw new Error('ledger hook did not open an exchange for a model route');
  return request.exchange;
};

const QUOTA_WORDS: Record<QuotaDimension, [string, string]> = {
  requests: ['requests', 'R'],
  tokens: ['tokens', 'T'],
  'input-tokens': ['input tokens', 'IT'],
  'output-tokens': ['output tokens', 'OT'],
};

/**
 * OpenAI's 429 wording (provider-facts §2.5, real captures): "Rate limit reached for gpt-4o-mini in
 * organization org-… on tokens per min (TPM): Limit 200000, Used 195869, Requested 4412. Please
 * try again in 84ms. Visit …", and for a request larger than the whole limit "Request too large
 * for gpt-4o in organization org-xxx on tokens per min (TPM): Limit 30000, Requested 45000. The
 * input or output tokens must be reduced in order to run successfully."
 */
const rateLimitMessage = (model: string, tenant: string, quota: QuotaRefusal, wait: string): string => {
  const [noun, letter] = QUOTA_WORDS[quota.dimension];
  const perDay = quota.windowMs === 86_400_000;
  const per = perDay ? 'day' : quota.windowMs === 60_000 ? 'min' : `${quota.windowMs / 1000} s`;
  const on = `on ${noun} per ${per} (${letter}P${perDay ? 'D' : 'M'})`;
  if (quota.requested > quota.limit) {
    return `Request too large for ${model} in organization ${tenant} ${on}: Limit ${quota.limit}, Requested ${quota.requested}. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.`;
  }
  return `Rate limit reached for ${model} in organization ${tenant} ${on}: Limit ${quota.limit}, Used ${quota.used}, Requested ${quota.requested}. Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
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
      const quota = error.quota;
      return {
        status: 429,
        error: {
          message: quota === undefined ? `Rate limit reached for ${outcome.model} in organization ${tenant}. Please try again in ${wait}.` : rateLimitMessage(outcome.model, tenant, quota, wait),
          type: quota !== undefined ? (quota.dimension === 'requests' ? 'requests' : 'tokens') : requestsLeft < 1 ? 'requests' : 'tokens',
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

/** One OpenAI endpoint: how its body is read and turned into a model request (core/wire), and how it answers. */
interface OpenAIRoute<B> {
  toWire: (raw: unknown, describe: DescribeText) => WireResult<B>;
  /** A form the request forces (structured output, a forced tool), if any. */
  forced: (body: B) => ForcedOutput | undefined;
  streaming: (body: B) => boolean;
  stream: (reply: FastifyReply, call: ModelCall, headers: Record<string, string>, body: B) => Promise<void>;
  /** Keeps what the answer made, for later requests that refer to it. */
  remember?: (call: ModelCall, requestId: string, body: B) => void;
  /** The non-streaming body as JSON text. */
  json: (call: ModelCall, requestId: string, body: B) => string;
}

/** Synchronous unless it waits or streams, and returns nothing once the reply is sent (see anthropic/plugin.ts's handleMessages). */
const handleOpenAI = <B>(app: FastifyInstance, route: OpenAIRoute<B>, request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined => {
  const exchange = exchangeOf(request);
  const parsed = route.toWire(request.body, app.mock.describeText.openai);
  if (!parsed.ok) {
    const param = openaiParam(parsed.error.param);
    // An absent field in OpenAI's words: "Missing required parameter: 'messages'." (code missing_required_parameter).
    const error = parsed.error.missing === true ? invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter') : invalidRequest(parsed.error.message, param || null);
    return void sendOpenAIError(reply, 400, error);
  }
  const { body, request: wire } = parsed;
  const call = callModel(app, exchange, wire, route.forced(body));
  const { outcome } = call;
  const headers = putOpenAIRateLimitHeaders({ 'x-request-id': request.id }, call.rateLimits, call.nowMs, app.mock.clock);
  if (outcome.status !== 200) {
    if (outcome.status === 429) Object.assign(headers, retryAfterHeaders(outcome.retryAfterMs, app.mock.clock));
    const { status, error } = wireError(app, call, wire.model, exchange.tenant ?? '');
    return void sendOpenAIError(reply.headers(headers), status, error);
  }
  route.remember?.(call, request.id, body);
  if (route.streaming(body)) return route.stream(reply, call, headers, body);
  // Under a millisecond of wall time there is nothing to wait for, and a wait costs a turn.
  if (app.mock.clock.toWallMs(outcome.latencyMs) >= 1) {
    return app.mock.clock.wait(outcome.latencyMs).then(() => void sendJsonText(reply, headers, route.json(call, request.id, body)));
  }
  sendJsonText(reply, headers, route.json(call, request.id, body));
  return undefined;
};

const chatCompletions = (clock: Clock): OpenAIRoute<ChatRequest> => ({
  toWire: chatWire,
  forced: (body) => chatForced(body),
  streaming: (body) => body.stream === true,
  stream: (reply, call, headers, body) => streamCompletion(reply, call, clock, headers, body.stream_options?.include_usage === true),
  json: (call, requestId) => completionJson(call, requestId),
});

const responses = (clock: Clock, items: ItemStore): OpenAIRoute<ResponsesRequest> => ({
  toWire: (raw, describe) => {
    const expanded = expandReferences(raw, items);
    return expanded.ok ? responsesWire(expanded.body, describe) : expanded;
  },
  forced: (body) => responsesForced(body),
  streaming: (body) => body.stream === true,
  stream: (reply, call, headers, body) => streamResponse(reply, call, clock, headers, body),
  json: (call, requestId, body) => JSON.stringify(responseObject(call, requestId, body, finalStatus(call))),
  remember: (call, requestId, body) => {
    const [item] = responseObject(call, requestId, body, finalStatus(call)).output as Array<Record<string, unknown>>;
    if (item !== undefined && typeof item.id === 'string') items.remember(item.id, item);
  },
});

export const openaiPlugin = async (app: FastifyInstance): Promise<void> => {
  app.setErrorHandler(openaiErrorHandler);
  // After the ledger hook, which opened the exchange it reads (see anthropic/plugin.ts).
  const gate: onRequestHookHandler = (request, reply, done) => {
    if (refusedWhileDraining(request)) {
      sendOpenAIError(reply.header('connection', 'close'), 503, OVERLOADED);
    } else if (request.exchange !== null && request.exchange.tenant === undefined) {
      const { keyRefused: refused, keyUnknown } = request.exchange;
      const key = apiKeyOf(request.headers) ?? '';
      const message = keyUnknown === true ? `Incorrect API key provided: ${redactedKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.` : refused;
      sendOpenAIError(reply, 401, message === undefined ? invalidRequest(MISSING_KEY_MESSAGE) : invalidRequest(message, null, 'invalid_api_key'));
    } else done();
  };
  const options = { bodyLimit: app.mock.bodyLimitBytes, onRequest: [ledgerHook, gate] };
  const chat = chatCompletions(app.mock.clock);
  const responsesRoute = responses(app.mock.clock, createItemStore());
  app.post('/v1/chat/completions', options, (request, reply) => handleOpenAI(app, chat, request, reply));
  app.post('/v1/responses', options, (request, reply) => handleOpenAI(app, responsesRoute, request, reply));
};
