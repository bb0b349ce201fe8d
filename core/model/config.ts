// Everything that makes one provider behave like Anthropic or OpenAI. Profiles (profiles/*.ts)
// fill it from documented facts; scenarios override any field.

import type { QuotaDimension } from './types.ts';

export const CACHING_MODES = ['breakpoints', 'automatic-prefix'] as const;
/** `breakpoints`: Anthropic cache_control. `automatic-prefix`: OpenAI, every prompt ≥ minimum. */
export type CachingMode = (typeof CACHING_MODES)[number];

export const ROUTING_POLICIES = ['affinity', 'random'] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

export const QUOTA_KINDS = ['token-bucket', 'fixed-window', 'rolling-window'] as const;
export type QuotaKind = (typeof QUOTA_KINDS)[number];

export interface PriceUsdPerMTok {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export interface ModelSpec {
  prices: PriceUsdPerMTok;
  /** Below this many prompt tokens nothing is cached, silently. */
  minCacheableTokens: number;
  /** Tokenizer id: part of every cache key; an upgrade makes every prefix new. */
  tokenizer: string;
  /** Tokens the current tokenizer produces per token the client counted (1 = same). */
  tokenInflation: number;
  /** Most output tokens per response; default: max-output.ts's table for the model id. */
  maxOutputTokens?: number;
  /** Overrides the profile's `cacheReadsCountTowardInput` for this model (Anthropic's † models). */
  cacheReadsCountTowardInput?: boolean;
}

export interface QuotaSpec {
  /** Stable name, so events can change one quota (`input-tokens-per-minute`). */
  name: string;
  dimension: QuotaDimension;
  kind: QuotaKind;
  limit: number;
  windowMs: number;
}

export interface FaultWindow {
  fromMs: number;
  toMs: number;
  /** Probability that a request inside the window gets a 529 overloaded error. */
  overloadRate: number;
  /** Probability that a request inside the window gets a 500 internal error (default 0). */
  errorRate?: number;
  /** Extra time to first token inside the window, ms. */
  extraLatencyMs: number;
}

export interface ProviderConfig {
  profile: string;
  wire: 'anthropic' | 'openai';
  caching: {
    mode: CachingMode;
    /** OpenAI caches in increments of this many tokens above the minimum. */
    incrementTokens: number;
    maxBreakpoints: number;
    /** Anthropic: positions probed per breakpoint, the breakpoint itself first. */
    lookbackBlocks: number;
    ttlMs: { '5m': number; '1h': number };
    /** OpenAI `prompt_cache_retention: "24h"`. */
    extendedRetentionMs: number;
    refreshOnHit: boolean;
    /** `organisation`: no cross-tenant hits; `global`: identical prompts share entries. */
    scope: 'organisation' | 'global';
  };
  nodes: {
    count: number;
    /** KV-cache capacity per node, tokens; full nodes evict least recently used entries. */
    capacityTokens: number;
    /** Requests a node serves at once; more queue. */
    concurrency: number;
  };
  routing: {
    policy: RoutingPolicy;
    /** Prompt tokens hashed (with prompt_cache_key) to choose the home node. */
    affinityPrefixTokens: number;
    /** Above this many requests per minute for one prefix+key, requests overflow to other nodes. */
    overflowPerMinute: number;
    /** Overflow when the home node has no free slot. */
    overflowWhenSaturated: boolean;
  };
  quotas: QuotaSpec[];
  /** Whether cache-read tokens draw on input-token quotas (Anthropic: no for most models; OpenAI: yes). */
  cacheReadsCountTowardInput: boolean;
  models: Record<string, ModelSpec>;
  /** Floating names the provider resolves, e.g. `claude-sonnet-latest` → a dated version. */
  aliases: Record<string, string>;
  latency: {
    baseMs: number;
    prefillTokensPerSec: number;
    /** Loading a cached prefix is not free, only much faster than prefill. */
    cachedTokensPerSec: number;
    decodeTokensPerSec: number;
  };
  faults: {
    /** Background probability of a 529 on any request. */
    overloadRate: number;
    /** Background probability of a 500 on any request (Anthropic `api_error`, OpenAI `server_error`). */
    errorRate: number;
    /** Random latency spikes: this share of requests waits `latencySpikeMs` longer for the first token. */
    latencySpikeRate: number;
    latencySpikeMs: number;
    windows: FaultWindow[];
  };
}

/** A deep partial: what a scenario writes to override a profile. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Overrides win; objects merge key by key; arrays replace. */
export const mergeConfig = <T>(base: T, override: DeepPartial<T> | undefined): T => {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    merged[key] = key in base ? mergeConfig(base[key], value as never) : value;
  }
  return merged as T;
};
