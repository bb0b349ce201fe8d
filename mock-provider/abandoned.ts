// What a request costs when its client leaves before the answer is complete: the 499 row.
//
// The rule (README, "Reliability"): the prompt is billed whole (input, cache reads, cache writes),
// because the model had already taken the request in: prefill is not cut short and the cache
// entries it wrote stay written. provider-facts.md quotes no rule for cancelled requests; issue 16
// reports that Anthropic bills the input already processed, and of the readings that fit, this
// one never under-reports a rehearsal's cost. Output is billed for the
// tokens generated before the client left, at the model's own pace: none before the first token,
// then one per decode interval. Before this, 1,000 clients that left before the first token got
// 200 rows with full output and cost (issue 16, item 7).

import { costUsd } from '../core/model/pricing.ts';
import type { PriceUsdPerMTok } from '../core/model/config.ts';
import type { Outcome } from '../core/model/types.ts';

export const CLIENT_CLOSED_REQUEST = 499;

/** Output tokens generated `elapsedMs` after the model took the request in. */
export const tokensGeneratedBy = (outcome: Outcome, elapsedMs: number): number => {
  const total = outcome.usage.outputTokens;
  if (total === 0 || elapsedMs < outcome.ttftMs) return 0;
  const decodeMs = outcome.latencyMs - outcome.ttftMs;
  if (total === 1 || decodeMs <= 0) return total;
  // The first token at ttft, the last at latency, evenly between (core/model/latency.ts).
  return Math.min(total, 1 + Math.floor(((elapsedMs - outcome.ttftMs) * (total - 1)) / decodeMs));
};

/** The model's answer as billed for a client that left `elapsedMs` after the model took it in. */
export const abandonedOutcome = (outcome: Outcome, elapsedMs: number, prices: PriceUsdPerMTok): Outcome => {
  const usage = { ...outcome.usage, outputTokens: tokensGeneratedBy(outcome, elapsedMs) };
  return {
    ...outcome,
    status: CLIENT_CLOSED_REQUEST,
    usage,
    costUsd: costUsd(prices, usage),
    ttftMs: usage.outputTokens > 0 ? outcome.ttftMs : 0,
    latencyMs: Math.max(0, Math.min(elapsedMs, outcome.latencyMs)),
  };
};
