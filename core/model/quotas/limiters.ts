// Quotas per tenant and model: every limiter must admit a request, or it is a 429 with the
// longest wait among the limiters that refused.

import type { QuotaKind, QuotaSpec } from '../config.ts';
import type { QuotaDimension, RateLimitState } from '../types.ts';
import { fixedWindow, type FixedWindowState } from './fixed-window.ts';
import type { Limiter, LimiterKind } from './limiter.ts';
import { rollingWindow, type RollingWindowState } from './rolling-window.ts';
import { tokenBucket, type TokenBucketState } from './token-bucket.ts';

export const LIMITER_KINDS = {
  'token-bucket': tokenBucket,
  'fixed-window': fixedWindow,
  'rolling-window': rollingWindow,
} satisfies Record<QuotaKind, LimiterKind<TokenBucketState> | LimiterKind<FixedWindowState> | LimiterKind<RollingWindowState>>;

const kindOf = (spec: QuotaSpec): LimiterKind<unknown> => LIMITER_KINDS[spec.kind] as LimiterKind<unknown>;

export const createLimiter = (spec: QuotaSpec, nowMs: number): Limiter => ({ spec, state: kindOf(spec).create(spec, nowMs) });

export type QuotaCharge = Record<QuotaDimension, number>;

const amountFor = (dimension: QuotaDimension, charge: QuotaCharge): number => charge[dimension];

export interface Admission {
  admitted: boolean;
  /** Longest wait among refusing limiters, ms (0 when admitted). */
  retryAfterMs: number;
  /** The limiter that refused with the longest wait. */
  refusedBy?: QuotaSpec;
  /** That limiter's use before the request, and what the request asked of it (OpenAI's 429 names both). */
  used?: number;
  requested?: number;
}

/** Checks every limiter; consumes from all of them only when all admit. */
export const admit = (limiters: Limiter[], charge: QuotaCharge, nowMs: number): Admission => {
  let retryAfterMs = 0;
  let refused: Limiter | undefined;
  for (const limiter of limiters) {
    const wait = kindOf(limiter.spec).waitMs(limiter.spec, limiter.state, amountFor(limiter.spec.dimension, charge), nowMs);
    if (wait > 0 && wait >= retryAfterMs) {
      retryAfterMs = Number.isFinite(wait) ? wait : limiter.spec.windowMs;
      refused = limiter;
    }
  }
  if (refused !== undefined) {
    const { spec, state } = refused;
    const used = Math.max(0, spec.limit - Math.floor(kindOf(spec).available(spec, state, nowMs)));
    return { admitted: false, retryAfterMs, refusedBy: spec, used, requested: amountFor(spec.dimension, charge) };
  }
  for (const limiter of limiters) {
    kindOf(limiter.spec).consume(limiter.spec, limiter.state, amountFor(limiter.spec.dimension, charge), nowMs);
  }
  return ADMITTED;
};

/** Every admission is alike: one frozen answer rather than a new object per request. */
const ADMITTED: Admission = Object.freeze({ admitted: true, retryAfterMs: 0 });

export const limiterStates = (limiters: Limiter[], nowMs: number): RateLimitState[] =>
  limiters.map(({ spec, state }) => {
    const kind = kindOf(spec);
    return {
      dimension: spec.dimension,
      limit: spec.limit,
      remaining: Math.max(0, Math.floor(kind.available(spec, state, nowMs))),
      resetAtMs: kind.resetAtMs(spec, state, nowMs),
    };
  });
