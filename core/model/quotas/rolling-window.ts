// A window that slides with the clock: usage counts until `windowMs` after it happened. Usage is
// kept in sub-buckets (1 s for a minute window, 1 min for a day) so memory stays constant; a
// sub-bucket leaves the window all at once, which is exact to one sub-bucket.

import type { LimiterKind } from './limiter.ts';

export interface RollingWindowState {
  bucketMs: number;
  /** Ring of usage per sub-bucket; index = bucket number modulo length. */
  usage: Float64Array;
  /** Absolute number of the newest sub-bucket written. */
  headBucket: number;
  total: number;
}

const bucketCount = (windowMs: number): number => Math.max(1, Math.min(1440, Math.round(windowMs / 1000)));

const advance = (state: RollingWindowState, nowMs: number): void => {
  const bucket = Math.floor(nowMs / state.bucketMs);
  const n = state.usage.length;
  if (bucket <= state.headBucket) return;
  const steps = Math.min(n, bucket - state.headBucket);
  for (let i = 1; i <= steps; i++) {
    const slot = (state.headBucket + i) % n;
    state.total -= state.usage[slot];
    state.usage[slot] = 0;
  }
  state.headBucket = bucket;
};

/** Time at which the oldest usage still in the window drops out, and how much drops then. */
const releases = (state: RollingWindowState): Array<{ atMs: number; amount: number }> => {
  const n = state.usage.length;
  const out: Array<{ atMs: number; amount: number }> = [];
  for (let age = n - 1; age >= 0; age--) {
    const bucket = state.headBucket - age;
    const amount = state.usage[((bucket % n) + n) % n];
    if (amount > 0) out.push({ atMs: (bucket + n) * state.bucketMs, amount });
  }
  return out;
};

export const rollingWindow: LimiterKind<RollingWindowState> = {
  create: (spec, nowMs) => {
    const n = bucketCount(spec.windowMs);
    const bucketMs = spec.windowMs / n;
    return { bucketMs, usage: new Float64Array(n), headBucket: Math.floor(nowMs / bucketMs), total: 0 };
  },
  available: (spec, state, nowMs) => {
    advance(state, nowMs);
    return spec.limit - state.total;
  },
  consume: (_spec, state, amount, nowMs) => {
    advance(state, nowMs);
    const n = state.usage.length;
    state.usage[state.headBucket % n] += amount;
    state.total += amount;
  },
  waitMs: (spec, state, amount, nowMs) => {
    if (amount > spec.limit) return Number.POSITIVE_INFINITY;
    advance(state, nowMs);
    let excess = state.total + amount - spec.limit;
    if (excess <= 0) return 0;
    for (const release of releases(state)) {
      excess -= release.amount;
      if (excess <= 0) return Math.max(0, release.atMs - nowMs);
    }
    return spec.windowMs;
  },
  resetAtMs: (_spec, state, nowMs) => {
    advance(state, nowMs);
    const all = releases(state);
    return all.length === 0 ? nowMs : all[all.length - 1].atMs;
  },
};
