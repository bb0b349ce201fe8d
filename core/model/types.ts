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
  /**
   * Anthropic's lookback counts a run of consecutive `tool_use` blocks as one position, and a run of
   * `tool_result` blocks too (provider-facts §1.4): consecutive segments of one group are one position.
   */
  group?: string;
  /** What the segment's first tokens are, for prefixes that end inside it (OpenAI's 128-token grid). */
  head?: SegmentHead;
}

/**
 * The beginning of a segment, for prefix matching inside it. Without a head, a prefix ending inside
 * a segment matches only the same whole segment. `shared`: its first `tokens` tokens are the
 * content named `hash`, so segments with the same head share their first `tokens` tokens (a
 * scenario's "same document, different question"). `hashAt`: the content hash of its first n
 * tokens for any n, with `hashAt(tokens) === hash` (the mock provider hashes the request's own
 * text, incrementally), so any two segments match as far as their text does.
 */
export type SegmentHead = { shared: { hash: number; tokens: number } } | { hashAt: (tokens: number) => number };

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

/** The quota a 429 ran into, for wires whose message names the figures (OpenAI's "Limit …, Used …, Requested …"). */
export interface QuotaRefusal {
  dimension: QuotaDimension;
  limit: number;
  windowMs: number;
  /** Use before the request, and what the request asked of this quota. */
  used: number;
  requested: number;
}

export interface Outcome {
  status: number;
  error?: { kind: ErrorKind; message: string; param?: string; quota?: QuotaRefusal };
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
