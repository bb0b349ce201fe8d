// OpenAI Chat Completions semantics (models before GPT-5.6). Figures cite
// ../shared/research/provider-facts.md §2 (read 2026-11-22).

import type { ModelSpec, ProviderConfig } from '../config.ts';

const MIN = 60_000;

// §2.3: no write surcharge ("Will I be expected to pay extra for writing…? No."), so a write is
// billed as ordinary input; the cached-input discount depends on the family.
const gpt = (inputUsd: number, cachedUsd: number, outputUsd: number): ModelSpec => ({
  prices: { input: inputUsd, output: outputUsd, cacheWrite5m: inputUsd, cacheWrite1h: inputUsd, cacheRead: cachedUsd },
  minCacheableTokens: 1024, // §2.1 "prompts that are 1024 tokens or longer"
  tokenizer: 'o200k_base',
  tokenInflation: 1,
});

// §2.3 O-CB table and corroborating tables. Output prices [SECONDARY, dated].
export const openaiModels: Record<string, ModelSpec> = {
  'gpt-4o-2024-08-06': gpt(2.5, 1.25, 10), // 50 %
  'gpt-4.1-2025-04-14': gpt(2, 0.5, 8), // 75 %
  'gpt-5-2025-08-07': gpt(1.25, 0.125, 10), // 90 %
  'gpt-5-mini-2025-08-07': gpt(0.25, 0.025, 2), // 90 %
  'gpt-5.2': gpt(1.75, 0.175, 14), // 90 %
  // §2.3 O-ANN (Oct 2024): gpt-4o-mini $0.15 → cached $0.075, o1-preview $15 → $7.50, o1-mini $3 → $1.50;
  // O-CB: gpt-5-nano $0.05 → $0.005. Their output prices are not in the facts: OpenAI's list
  // prices at their launch ($0.60, $60, $12, $0.40) [UNCONFIRMED].
  'gpt-4o-mini-2024-07-18': gpt(0.15, 0.075, 0.6), // 50 %
  'gpt-5-nano-2025-08-07': gpt(0.05, 0.005, 0.4), // 90 %
  'o1-preview-2024-09-12': gpt(15, 7.5, 60), // 50 %
  'o1-mini-2024-09-12': gpt(3, 1.5, 12), // 50 %
};

export const openaiProfile: ProviderConfig = {
  profile: 'openai',
  wire: 'openai',
  caching: {
    mode: 'automatic-prefix',
    incrementTokens: 128, // §2.1 "increasing in 128-token increments"
    maxBreakpoints: 0,
    lookbackBlocks: 0,
    // §2.2 "5 to 10 minutes of inactivity, up to a maximum of one hour": 5 min idle, refreshed by use.
    ttlMs: { '5m': 5 * MIN, '1h': 60 * MIN },
    extendedRetentionMs: 24 * 60 * MIN, // §2.2 prompt_cache_retention "24h"
    refreshOnHit: true,
    scope: 'organisation', // §2.6 "not shared between organizations"
  },
  nodes: { count: 8, capacityTokens: 200_000_000, concurrency: 64 },
  routing: {
    policy: 'affinity',
    affinityPrefixTokens: 256, // §2.1 "typically uses the first 256 tokens"
    overflowPerMinute: 15, // §2.1 "approximately 15 requests per minute"
    overflowWhenSaturated: true,
  },
  // §2.5 dimensions RPM/TPM; limits are per tier and not in the facts: 10,000 RPM / 2,000,000 TPM
  // as a mid-tier default. Refill semantics are [UNCONFIRMED]; a token bucket matches the
  // "time until … resets to its initial state" header wording.
  quotas: [
    { name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: 10_000, windowMs: MIN },
    { name: 'tokens-per-minute', dimension: 'tokens', kind: 'token-bucket', limit: 2_000_000, windowMs: MIN },
  ],
  cacheReadsCountTowardInput: true, // §2.5 "Do cached prompts contribute to TPM rate limits? Yes"
  models: openaiModels,
  aliases: {
    'gpt-4o': 'gpt-4o-2024-08-06',
    'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
    'gpt-4.1': 'gpt-4.1-2025-04-14',
    'gpt-5': 'gpt-5-2025-08-07',
    'gpt-5-mini': 'gpt-5-mini-2025-08-07',
    'gpt-5-nano': 'gpt-5-nano-2025-08-07',
    'o1-preview': 'o1-preview-2024-09-12',
    'o1-mini': 'o1-mini-2024-09-12',
  },
  // §5.1 O-CB: cached TTFT 7 % faster at 1k tokens, 67 % at 150k; GPT-4o median TTFT 0.45 s and
  // 131 tok/s [SECONDARY]. base 0.4 s ⇒ prefill ≈ 20,000 tok/s, cached load ≈ 68,000 tok/s.
  latency: { baseMs: 400, prefillTokensPerSec: 20_000, cachedTokensPerSec: 68_000, decodeTokensPerSec: 130 },
  faults: { overloadRate: 0, errorRate: 0, latencySpikeRate: 0, latencySpikeMs: 0, windows: [] },
};
