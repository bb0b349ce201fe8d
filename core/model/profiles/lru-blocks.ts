// The engine simulators' cache, as a profile: one node, an LRU over fixed-size prefix blocks, no
// TTL, no minimum length beyond one block, no quotas, no faults, and a prefix readable the moment
// it is written (no prefill time). It is how `cachecast replay` compares with the simulators that
// use the Mooncake traces (Mooncake FAST '25; vLLM's prefix cache likewise caches only full blocks):
// block-level longest-prefix matching in timestamp order. Capacity is set in tokens: C blocks is
// `nodes.capacityTokens = C × incrementTokens`; the default is unlimited.
//
// Mechanically it is the automatic-prefix mode (OpenAI's, provider-facts §2.1) with the block size
// as the caching increment: every full block of a prompt is a cache entry, the partial last block
// is never cached. Prices are unit prices (1 USD per million tokens of each kind, cache reads
// 0.1), so cost figures read as relative token volumes, not any provider's bill.

import type { ProviderConfig } from '../config.ts';

/** The Mooncake traces' block size (their README: 512-token prefix blocks). */
export const LRU_BLOCK_TOKENS = 512;
export const LRU_BLOCKS_MODEL = 'lru-blocks';

/** Latency rates so high that prefill and decode take no provider time (zod refuses Infinity). */
const INSTANT = 1e300;
const NEVER_MS = 1e15;

export const lruBlocksProfile: ProviderConfig = {
  profile: 'lru-blocks',
  wire: 'openai',
  caching: {
    mode: 'automatic-prefix',
    incrementTokens: LRU_BLOCK_TOKENS,
    maxBreakpoints: 0,
    lookbackBlocks: 0,
    ttlMs: { '5m': NEVER_MS, '1h': NEVER_MS },
    extendedRetentionMs: NEVER_MS,
    refreshOnHit: true,
    scope: 'global',
  },
  // Unlimited in effect (the schema wants a finite number): no trace comes near 10^15 tokens.
  nodes: { count: 1, capacityTokens: 1e15, concurrency: 1 },
  routing: { policy: 'affinity', affinityPrefixTokens: LRU_BLOCK_TOKENS, overflowPerMinute: Number.POSITIVE_INFINITY, overflowWhenSaturated: false },
  quotas: [],
  cacheReadsCountTowardInput: false,
  models: {
    [LRU_BLOCKS_MODEL]: {
      prices: { input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 0.1 },
      minCacheableTokens: LRU_BLOCK_TOKENS,
      tokenizer: 'blocks',
      tokenInflation: 1,
    },
  },
  aliases: {},
  latency: { baseMs: 0, prefillTokensPerSec: INSTANT, cachedTokensPerSec: INSTANT, decodeTokensPerSec: INSTANT },
  faults: { overloadRate: 0, errorRate: 0, latencySpikeRate: 0, latencySpikeMs: 0, windows: [] },
};

/** The profile for another block size: the caching increment, the minimum and the routing prefix are one block. */
export const lruBlocksWithBlockSize = (blockTokens: number): ProviderConfig => ({
  ...lruBlocksProfile,
  caching: { ...lruBlocksProfile.caching, incrementTokens: blockTokens },
  routing: { ...lruBlocksProfile.routing, affinityPrefixTokens: blockTokens },
  models: { [LRU_BLOCKS_MODEL]: { ...lruBlocksProfile.models[LRU_BLOCKS_MODEL], minCacheableTokens: blockTokens } },
});
