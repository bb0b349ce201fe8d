// OpenAI's rate-limit headers (provider-facts §2.5): `x-ratelimit-{limit,remaining,reset}-
// {requests,tokens}`, resets as Go-style durations ("1s", "6m0s", "41ms") of wall time.

import type { RateLimitState } from '../../simulator/model/types.ts';
import type { Clock } from '../clock.ts';

/** Go's time.Duration.String for non-negative milliseconds, to the millisecond. */
export const goDuration = (ms: number): string => {
  const whole = Math.max(0, Math.round(ms));
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = ((whole % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${seconds}s`;
};

export const openaiRateLimitHeaders = (states: RateLimitState[], nowMs: number, clock: Clock): Record<string, string> => {
  const headers: Record<string, string> = {};
  const put = (name: 'requests' | 'tokens', state: RateLimitState | undefined): void => {
    if (state === undefined) return;
    headers[`x-ratelimit-limit-${name}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${name}`] = String(state.remaining);
    headers[`x-ratelimit-reset-${name}`] = goDuration(clock.toWallMs(Math.max(0, state.resetAtMs - nowMs)));
  };
  put('requests', states.find((s) => s.dimension === 'requests'));
  put('tokens', states.find((s) => s.dimension === 'tokens') ?? states.find((s) => s.dimension === 'input-tokens'));
  return headers;
};
