// Anthropic's rate-limit headers (provider-facts §1.11): `anthropic-ratelimit-{requests,tokens,
// input-tokens,output-tokens}-{limit,remaining,reset}`, resets in RFC 3339. `tokens-*` shows the
// most restrictive token limit in effect. Resets are wall-clock instants, so a client comparing
// them with its own clock waits the scaled time.

import type { QuotaDimension, RateLimitState } from '../../core/model/types.ts';
import type { Clock } from '../clock.ts';

// Resets are whole seconds; formatting a date costs more than the rest of the headers, so the
// last few are remembered.
const formatted = new Map<number, string>();
const rfc3339 = (wallEpochMs: number): string => {
  const seconds = Math.ceil(wallEpochMs / 1000);
  let text = formatted.get(seconds);
  if (text === undefined) {
    text = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    if (formatted.size > 64) formatted.clear();
    formatted.set(seconds, text);
  }
  return text;
};

const mostRestrictive = (states: RateLimitState[]): RateLimitState | undefined => {
  const total = states.find((s) => s.dimension === 'tokens');
  if (total !== undefined) return total;
  const tokenStates = states.filter((s) => s.dimension === 'input-tokens' || s.dimension === 'output-tokens');
  return tokenStates.reduce<RateLimitState | undefined>(
    (best, s) => (best === undefined || s.remaining / s.limit < best.remaining / best.limit ? s : best),
    undefined,
  );
};

interface HeaderNames {
  limit: string;
  remaining: string;
  reset: string;
}

// Built once: a header name assembled per request is a new string that Node checks and hashes anew.
const namesFor = (name: string): HeaderNames => ({
  limit: `anthropic-ratelimit-${name}-limit`,
  remaining: `anthropic-ratelimit-${name}-remaining`,
  reset: `anthropic-ratelimit-${name}-reset`,
});
const NAMES: Partial<Record<QuotaDimension, HeaderNames>> = {
  requests: namesFor('requests'),
  'input-tokens': namesFor('input-tokens'),
  'output-tokens': namesFor('output-tokens'),
};
const TOKENS = namesFor('tokens');

const put = (headers: Record<string, string>, names: HeaderNames, state: RateLimitState, clock: Clock): void => {
  headers[names.limit] = String(state.limit);
  headers[names.remaining] = String(state.remaining);
  headers[names.reset] = rfc3339(clock.toWallEpochMs(state.resetAtMs));
};

/** Adds the rate-limit headers for `states` to `headers`. */
export const putAnthropicRateLimitHeaders = (headers: Record<string, string>, states: RateLimitState[], clock: Clock): Record<string, string> => {
  for (const state of states) {
    const names = NAMES[state.dimension];
    if (names !== undefined) put(headers, names, state, clock);
  }
  const tokens = mostRestrictive(states);
  if (tokens !== undefined) put(headers, TOKENS, tokens, clock);
  return headers;
};
