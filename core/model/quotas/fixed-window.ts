// Windows aligned to the clock: a minute starts at :00, a day at 00:00 UTC. Provider time is
// epoch milliseconds, so flooring to the window length aligns both (no leap seconds in epoch time).

import type { LimiterKind } from './limiter.ts';

export interface FixedWindowState {
  windowStartMs: number;
  used: number;
}

const roll = (windowMs: number, state: FixedWindowState, nowMs: number): void => {
  const start = Math.floor(nowMs / windowMs) * windowMs;
  if (start !== state.windowStartMs) {
    state.windowStartMs = start;
    state.used = 0;
  }
};

export const fixedWindow: LimiterKind<FixedWindowState> = {
  create: (spec, nowMs) => ({ windowStartMs: Math.floor(nowMs / spec.windowMs) * spec.windowMs, used: 0 }),
  available: (spec, state, nowMs) => {
    roll(spec.windowMs, state, nowMs);
    return spec.limit - state.used;
  },
  consume: (spec, state, amount, nowMs) => {
    roll(spec.windowMs, state, nowMs);
    state.used += amount;
  },
  waitMs: (spec, state, amount, nowMs) => {
    if (amount > spec.limit) return Number.POSITIVE_INFINITY;
    roll(spec.windowMs, state, nowMs);
    return state.used + amount <= spec.limit ? 0 : state.windowStartMs + spec.windowMs - nowMs;
  },
  // An unused window is already at its full limit (as the token bucket and rolling window say).
  resetAtMs: (spec, state, nowMs) => {
    roll(spec.windowMs, state, nowMs);
    return state.used === 0 ? nowMs : state.windowStartMs + spec.windowMs;
  },
};
