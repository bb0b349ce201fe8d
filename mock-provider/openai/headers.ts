// OpenAI's rate-limit headers (provider-facts §2.5): `x-ratelimit-{limit,remaining,reset}-
// {requests,tokens}`, resets as Go-style durations ("1s", "6m0s", "41ms") of wall time.

import type { RateLimitState } from '../../core/model/types.ts';
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

// Built once: a header name assembled per request is a new string that Node checks and hashes anew.
const namesFor = (name: 'requests' | 'tokens') => ({
  limit: `x-ratelimit-limit-${name}`,
  remaining: `x-ratelimit-remaining-${name}`,
  reset: `x-ratelimit-reset-${name}`,
});
const REQUESTS = namesFor('requests');
const TOKENS = namesFor('tokens');

/** Adds the rate-limit headers for `states` to `headers`. */
export const putOpenAIRateLimitHeaders = (headers: Record<string, string>, states: RateLimitState[], nowMs: number, clock: Clock): Record<string, string> => {
  const put = (names: typeof REQUESTS, state: RateLimitState | undefined): void => {
    if (state === undefined) return;
    headers[names.limit] = String(state.limit);
    headers[names.remaining] = String(state.remaining);
    headers[names.reset] = goDuration(clock.toWallMs(Math.max(0, state.resetAtMs - nowMs)));
  };
  put(REQUESTS, states.find((s) => s.dimension === 'requests'));
  put(TOKENS, states.find((s) => s.dimension === 'tokens') ?? states.find((s) => s.dimension === 'input-tokens'));
  return headers;
};
