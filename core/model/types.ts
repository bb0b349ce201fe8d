// The provider model's vocabulary: what a request is once it reaches the provider, and what the
// provider answers. Drivers (simulator, mock provider) translate to and from these.

/** How the router placed a request: on its prefix's home node, overflowed, at random, or no routing. */
export const AFFINITY = ['home', 'overflow', 'random', 'none'] as const;
export type Affinity = (typeof AFFINITY)[number];

export const CACHE_TTLS = ['5m', '1h'] as const;
export type CacheTtl = (typeof CACHE_TTLS)[number];

/**
 * One unit of prompt content in the provider's order (tools, system, messages): an Anthropic
 * content block, an OpenAI message. `hash` names the content; two segments with the same hash and
 * token count are the same bytes. `breakpoint` is Anthropic's `cache_control` on this block.
 */
export interface Segment {
  hash: number;
  tokens: number;
  breakpoint?: CacheTtl;
}

export const RETENTIONS = ['in_memory', '24h'] as const;
export type Retention = (typeof RETENTIONS)[number];

export interface ModelRequest {
  /** Organisation the API key belongs to: the scope of cache isolation and quotas. */
  tenant: string;
  /** Model id or alias as sent; the provider resolves aliases. */
  model: string;
  segments: readonly Segment[];
  /** Output tokens the model would generate if unconstrained; capped by `maxTokens`. */
  outputTokens: number;
  maxTokens?: number;
  /** OpenAI `prompt_cache_key`: combined with the prefix hash to choose the home node. */
  promptCacheKey?: string;
  /** OpenAI `prompt_cache_retention`. */
  retention?: Retention;
}

/**
 * Every input token of a prompt: the three disjoint parts (uncached, read from the cache, written to
 * it). OpenAI's `prompt_tokens` and the denominator of the hit rate.
 */
export const totalInputTokens = (usage: Pick<Usage, 'inputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>): number =>
  usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;

export interface Usage {
  /** Uncached input tokens (Anthropic `input_tokens`). */
  inputTokens: number;
  cacheReadTokens: number;
  /** All tokens written to the cache; `cacheWrite1hTokens` of them at the 1-hour TTL. */
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
}

export const ERROR_KINDS = ['rate_limit', 'overloaded', 'internal', 'invalid_request', 'not_found'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** One limiter's state after the request, for rate-limit headers. */
export interface RateLimitState {
  dimension: QuotaDimension;
  limit: number;
  remaining: number;
  /** Provider time at which the limiter is fully replenished (epoch ms). */
  resetAtMs: number;
}

export const QUOTA_DIMENSIONS = ['requests', 'input-tokens', 'output-tokens', 'tokens'] as const;
export type QuotaDimension = (typeof QUOTA_DIMENSIONS)[number];

export interface Outcome {
  status: number;
  error?: { kind: ErrorKind; message: string; param?: string };
  /** Model version after alias resolution ('' when the model is unknown). */
  model: string;
  node: number;
  affinity: Affinity;
  usage: Usage;
  costUsd: number;
  ttftMs: number;
  latencyMs: number;
  retryAfterMs: number;
  /** Prefix-cache key written by this request's longest write (0 when none): lets tests and
   * expectations count how often one prefix was written. */
  writeKey: number;
}

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: 0,
});
