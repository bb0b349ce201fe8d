// Continuous refill up to the limit (Anthropic: "capacity is continuously replenished up to your
// maximum limit, rather than being reset at fixed intervals", provider-facts §1.11).

import type { LimiterKind } from './limiter.ts';

export interface TokenBucketState {
  tokens: number;
  lastMs: number;
}

const refill = (limit: number, windowMs: number, state: TokenBucketState, nowMs: number): void => {
  if (nowMs > state.lastMs) {
    state.tokens = Math.min(limit, state.tokens + ((nowMs - state.lastMs) * limit) / windowMs);
    state.lastMs = nowMs;
  }
};

export const tokenBucket: LimiterKind<TokenBucketState> = {
  create: (spec, nowMs) => ({ tokens: spec.limit, lastMs: nowMs }),
  available: (spec, state, nowMs) => {
    refill(spec.limit, spec.windowMs, state, nowMs);
    return state.tokens;
  },
  consume: (spec, state, amount, nowMs) => {
    refill(spec.limit, spec.windowMs, state, nowMs);
    state.tokens -= amount;
  },
  waitMs: (spec, state, amount, nowMs) => {
    if (amount > spec.limit) return Number.POSITIVE_INFINITY;
    refill(spec.limit, spec.windowMs, state, nowMs);
    return state.tokens >= amount ? 0 : ((amount - state.tokens) * spec.windowMs) / spec.limit;
  },
  resetAtMs: (spec, state, nowMs) => {
    refill(spec.limit, spec.windowMs, state, nowMs);
    return nowMs + ((spec.limit - state.tokens) * spec.windowMs) / spec.limit;
  },
};
