// Provider time of a request sent by a client on the same host that names its send instant
// (`x-cachecast-sent-at`, wall epoch ms; `cachecast live`'s k6 bundle): the instant it was sent,
// not the instant the mock provider's event loop got to it. On loopback under load the two are
// 1 to 12 ms (wall) apart (median 3 ms, p99 36 to 52 ms at load 5; k6 v1.3.0), which a time scale
// multiplies: 30 ms of provider time at 10×, refill a token bucket gave a request the simulator,
// which has no transit, did not (README, "How closely live agrees with the simulator"). Bounded:
// never after now, never before the previous request's time (the model's time only moves forward),
// so a skewed or lying header can only move a request back to its predecessor.

import type { Clock } from './clock.ts';

export const SENT_AT_HEADER = 'x-cachecast-sent-at';

/** The header's wall instant, or undefined when absent or not a number. */
export const sentAtOf = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
};

/**
 * Provider time the model sees a request at: now, or with a send instant, that instant in
 * provider time within [previous request's time, now].
 */
export const arrivalMs = (clock: Clock, sentAtWallMs: number | undefined, previousMs: number): number => {
  const nowMs = clock.nowMs();
  if (sentAtWallMs === undefined) return nowMs;
  return Math.min(nowMs, Math.max(previousMs, clock.atWallEpochMs(sentAtWallMs)));
};
