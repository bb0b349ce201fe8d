// When a client retries, and after how long: one rule for the simulator and the k6 bundle, so
// both drivers retry the same requests at the same provider times.
//
// A 429 is retried after the provider's retry-after. A server error (500, 529, or 503 on the
// OpenAI wire) is retried as the official Anthropic and OpenAI SDKs do by default: after
// retry-after when the answer carries one, else after 0.5 s doubling per retry up to 8 s, less up
// to 25 % jitter. `retryJitterMs` adds a uniform extra wait to either.

import type { Rng } from '../../core/model/rng.ts';
import type { ClientBehaviour } from './format.ts';

export const DEFAULT_MAX_RETRIES = 2;
export const BACKOFF_INITIAL_MS = 500;
export const BACKOFF_MAX_MS = 8_000;

/** Statuses the SDKs retry as server errors (they retry every 5xx). */
const isServerError = (status: number): boolean => status >= 500;

/**
 * Provider milliseconds to wait before retrying, or undefined when the client does not retry this
 * answer. `retryAfterMs` is the provider's advice (0: none). `draw` is called only when a wait is
 * random, and at most twice, so a client that never jitters consumes no random numbers.
 */
export const retryWaitMs = (client: ClientBehaviour | undefined, status: number, attempt: number, retryAfterMs: number, draw: () => Rng): number | undefined => {
  if (client === undefined || attempt >= (client.maxRetries ?? DEFAULT_MAX_RETRIES)) return undefined;
  const extraMs = client.retryJitterMs ?? 0;
  let rng: Rng | undefined;
  const next = (): number => (rng ??= draw())();
  if (status === 429 && client.retryOn429 === true) return retryAfterMs + (extraMs > 0 ? next() * extraMs : 0);
  if (isServerError(status) && client.retryOnServerError === true) {
    const baseMs = retryAfterMs > 0 ? retryAfterMs : Math.min(BACKOFF_INITIAL_MS * 2 ** attempt, BACKOFF_MAX_MS) * (1 - 0.25 * next());
    return baseMs + (extraMs > 0 ? next() * extraMs : 0);
  }
  return undefined;
};
