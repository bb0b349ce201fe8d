// The single place a wire plugin hands a request to the model: one `handleRequest` per request,
// with provider time from the clock, and the answer's text. Who sent the request and the row it
// becomes are the ledger hook's (ledger-hook.ts), so a request passes through here once.

import type { FastifyInstance } from 'fastify';
import { hashString, mixKey } from '../core/model/hash.ts';
import { forgetTenant, handleRequest, rateLimitSnapshot } from '../core/model/provider.ts';
import type { Rng } from '../core/model/rng.ts';
import type { Outcome, RateLimitState } from '../core/model/types.ts';
import { stream } from '../core/random/streams.ts';
import type { Exchange } from './runtime.ts';
import type { WireRequest } from '../core/wire/request.ts';

import type { Answer } from './text.ts';
import { answerOfText, type ForcedOutput, forcedJson, tokensOfText } from './forced-output.ts';
import { arrivalMs } from './sent-at.ts';

export type { WireRequest } from '../core/wire/request.ts';

export interface ModelCall {
  outcome: Outcome;
  nowMs: number;
  /** Limiter states after the request, for the rate-limit headers ([] for an unknown model). */
  rateLimits: RateLimitState[];
  /** The answer's text, whole and one piece per output token. */
  answer: Answer;
  /** The answer stopped at max_tokens. */
  truncated: boolean;
  /** A forced tool call: the answer's text is its input, as JSON. */
  tool?: { name: string; id: string };
}

/** The request's output-length stream, created (its name too) on its first draw: the default output length draws nothing. */
const lazyOutputStream = (seed: string, requestHash: number): Rng => {
  let rng: Rng | undefined;
  return () => (rng ??= stream(seed, `output:${requestHash}`))();
};

/** Names the request's content, model and cap: identical requests get identical text. */
const requestHashOf = (wire: WireRequest): number => {
  let key = hashString(wire.model);
  for (const segment of wire.segments) key = mixKey(key, segment.hash, segment.tokens);
  return mixKey(key, wire.maxTokens ?? -1, 0);
};

export const callModel = (app: FastifyInstance, exchange: Exchange, wire: WireRequest, forced?: ForcedOutput): ModelCall => {
  const { mock, model } = app;
  const tenant = exchange.tenant ?? '';
  const forgotten = mock.tenants.touch(tenant);
  if (forgotten !== undefined) forgetTenant(model.state, forgotten);
  const requestHash = requestHashOf(wire);
  // Drawn per request from (seed, request): the same request always wants the same length. A
  // client replaying a scenario names the length its request builder chose instead.
  // A forced form (structured output, a forced tool) answers JSON valid against its schema: its
  // length is the JSON's, whatever a scenario's distribution would have drawn.
  const forcedText = forced === undefined ? undefined : forcedJson(forced, hashString(mock.seed), requestHash);
  const wantedTokens =
    forcedText !== undefined
      ? tokensOfText(forcedText)
      : (exchange.wantedOutputTokens ?? Math.max(0, Math.round(mock.outputTokens(lazyOutputStream(mock.seed, requestHash)))));
  // The exchange holds a send instant only when the app takes them (ledger-hook.ts openExchange).
  const nowMs = arrivalMs(mock.clock, exchange.sentAtWallMs, mock.lastModelMs);
  mock.lastModelMs = Math.max(mock.lastModelMs, nowMs);
  const outcome = handleRequest(
    model.state,
    {
      tenant,
      model: wire.model,
      segments: wire.segments,
      outputTokens: wantedTokens,
      maxTokens: wire.maxTokens,
      promptCacheKey: wire.promptCacheKey,
      retention: wire.retention,
    },
    nowMs,
    mock.providerRng,
  );
  exchange.atMs = nowMs;
  exchange.outcome = outcome;
  const call: ModelCall = {
    outcome,
    nowMs,
    rateLimits: outcome.model === '' ? [] : rateLimitSnapshot(model.state, tenant, outcome.model, nowMs),
    answer:
      forcedText === undefined
        ? mock.text.answer(requestHash, outcome.status === 200 ? outcome.usage.outputTokens : 0)
        : answerOfText(forcedText, outcome.status === 200 ? outcome.usage.outputTokens : 0),
    // Stopped short of the length it wanted: at max_tokens, or at the model's own output cap.
    truncated: outcome.status === 200 && wantedTokens > outcome.usage.outputTokens,
  };
  if (forced?.kind === 'tool') call.tool = { name: forced.name, id: `call_${requestHash.toString(36)}` };
  return call;
};
