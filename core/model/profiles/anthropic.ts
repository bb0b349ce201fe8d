// Anthropic Messages API semantics. Every figure cites ../shared/research/provider-facts.md
// (read 2026-11-22), which names the vendor page each comes from.

import type { ModelSpec, ProviderConfig } from '../config.ts';

const MIN = 60_000;

// §1.8 multipliers: 5 m write 1.25×, 1 h write 2×, read 0.1× of base input (A-2025-08/11, A-NEW).
const claudePrices = (inputUsd: number, outputUsd: number) => ({
  input: inputUsd,
  output: outputUsd,
  cacheWrite5m: inputUsd * 1.25,
  cacheWrite1h: inputUsd * 2,
  cacheRead: inputUsd * 0.1,
});

const claude = (inputUsd: number, outputUsd: number, minCacheableTokens: number, tokenizer = 'claude-2024'): ModelSpec => ({
  prices: claudePrices(inputUsd, outputUsd),
  minCacheableTokens,
  tokenizer,
  tokenInflation: 1,
});

// §1.11: on the models the rate-limit page marks † (Haiku 3.5, Haiku 3, Opus 3) cache reads do
// count toward ITPM.
const dagger = (spec: ModelSpec): ModelSpec => ({ ...spec, cacheReadsCountTowardInput: true });

// §1.8 list prices per MTok (A-2025-11, A-NEW; dated: treat as illustrative) and §1.5 minimums.
// Dated lineups, newest first in A-NEW; ids without a date are the names A-NEW gives them.
export const anthropicModels: Record<string, ModelSpec> = {
  'claude-sonnet-4-5-20250929': claude(3, 15, 1024),
  'claude-sonnet-4-6': claude(3, 15, 1024),
  'claude-sonnet-5': claude(2, 10, 1024),
  'claude-sonnet-4-20250514': claude(3, 15, 1024),
  'claude-3-7-sonnet-20250219': claude(3, 15, 1024),
  'claude-opus-4-1-20250805': claude(15, 75, 1024),
  'claude-opus-4-20250514': claude(15, 75, 1024),
  'claude-opus-4-5-20251101': claude(5, 25, 4096),
  'claude-opus-4-6': claude(5, 25, 4096),
  // §4: Opus 4.7 shipped an updated tokenizer, "1.0–1.35x more tokens" [SECONDARY].
  'claude-opus-4-7': { ...claude(5, 25, 2048, 'claude-2026'), tokenInflation: 1.2 },
  // Opus 4.8 and 5 are assumed to keep 4.7's tokenizer [UNCONFIRMED]. Fable and Mythos 5.x are
  // left out: the facts give no API ids for them.
  'claude-opus-4-8': { ...claude(5, 25, 1024, 'claude-2026'), tokenInflation: 1.2 },
  'claude-opus-5': { ...claude(5, 25, 512, 'claude-2026'), tokenInflation: 1.2 },
  'claude-haiku-4-5-20251001': claude(1, 5, 4096),
  'claude-3-5-haiku-20241022': dagger(claude(0.8, 4, 2048)),
  'claude-3-haiku-20240307': dagger(claude(0.25, 1.25, 2048)),
  // Opus 3's price is not in the facts; Opus 4/4.1's list price ($15 / $75) is used [UNCONFIRMED].
  'claude-3-opus-20240229': dagger(claude(15, 75, 1024)),
};

export const anthropicProfile: ProviderConfig = {
  profile: 'anthropic',
  wire: 'anthropic',
  caching: {
    mode: 'breakpoints',
    incrementTokens: 1,
    maxBreakpoints: 4, // §1.1 "up to 4 cache breakpoints"
    lookbackBlocks: 20, // §1.4 "at most 20 positions per breakpoint, counting the breakpoint itself"
    ttlMs: { '5m': 5 * MIN, '1h': 60 * MIN }, // §1.6
    extendedRetentionMs: 60 * MIN,
    refreshOnHit: true, // §1.6 "refreshed for no additional cost each time the cached content is used"
    scope: 'organisation', // §1.2 (workspace-level since 2026-02-05; one workspace per tenant here)
  },
  nodes: {
    // Not documented (§7: no public statement on Anthropic routing). Four nodes with affinity by
    // prefix reproduce "an entry lives where it was written" without inventing a routing knob.
    count: 4,
    capacityTokens: 200_000_000,
    concurrency: 64,
  },
  routing: {
    policy: 'affinity',
    affinityPrefixTokens: 256,
    overflowPerMinute: Number.POSITIVE_INFINITY, // no documented per-key overflow for Anthropic
    overflowWhenSaturated: true,
  },
  // §1.11 tier 4, Sonnet 4.x: 4,000 RPM / 2,000,000 ITPM / 400,000 OTPM, token bucket.
  quotas: [
    { name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: 4_000, windowMs: MIN },
    { name: 'input-tokens-per-minute', dimension: 'input-tokens', kind: 'token-bucket', limit: 2_000_000, windowMs: MIN },
    { name: 'output-tokens-per-minute', dimension: 'output-tokens', kind: 'token-bucket', limit: 400_000, windowMs: MIN },
  ],
  cacheReadsCountTowardInput: false, // §1.11 "only uncached input tokens count towards your ITPM"
  models: anthropicModels,
  aliases: {
    'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
    'claude-opus-4-5': 'claude-opus-4-5-20251101',
    'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
    'claude-sonnet-4-0': 'claude-sonnet-4-20250514',
    'claude-opus-4-0': 'claude-opus-4-20250514',
    'claude-opus-4-1': 'claude-opus-4-1-20250805',
    'claude-3-7-sonnet-latest': 'claude-3-7-sonnet-20250219',
    'claude-3-5-haiku-latest': 'claude-3-5-haiku-20241022',
    'claude-sonnet-latest': 'claude-sonnet-4-5-20250929',
  },
  // §5.1/§5.3: 100k-token book 11.5 s uncached → 2.4 s cached; Sonnet 4.6 median TTFT 0.74 s and
  // 104 tok/s [SECONDARY]. base 0.6 s ⇒ prefill ≈ 9,000 tok/s, cached load ≈ 55,000 tok/s.
  latency: { baseMs: 600, prefillTokensPerSec: 9_000, cachedTokensPerSec: 55_000, decodeTokensPerSec: 100 },
  faults: { overloadRate: 0, errorRate: 0, latencySpikeRate: 0, latencySpikeMs: 0, windows: [] },
};
