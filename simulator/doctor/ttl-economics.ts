// TTL economics per stable prefix (the arithmetic the `ttl-economics` scenario rehearses): from the
// gaps between a prefix's requests, what each strategy would have cost. Anthropic (provider-facts
// §1.6, §1.8): a hit inside the TTL reads at 0.1× and refreshes the entry; a miss writes at 1.25×
// (5 min) or 2× (1 h); without caching every token is input at 1×. OpenAI (§2.2, §2.3): no write
// surcharge, in-memory retention lasts about 5 minutes idle, `prompt_cache_retention: "24h"` up to
// a day at the same price. O(1) state per prefix; at most MAX_PREFIXES prefixes, least recent out.

import type { PriceUsdPerMTok } from '../../core/model/index.ts';

export const STRATEGIES = {
  anthropic: ['5m', '1h', 'none'],
  openai: ['in_memory', '24h'],
} as const;
export type Strategy = (typeof STRATEGIES)['anthropic' | 'openai'][number];

const MIN = 60_000;
const TTL_MS: Record<Strategy, number> = { '5m': 5 * MIN, '1h': 60 * MIN, none: -1, in_memory: 5 * MIN, '24h': 24 * 60 * MIN };

/** Gap classes shown with a finding. */
export const GAP_CLASSES = ['under 5 min', '5 to 60 min', 'over 1 h'] as const;
const gapClass = (gapMs: number): (typeof GAP_CLASSES)[number] => (gapMs <= 5 * MIN ? GAP_CLASSES[0] : gapMs <= 60 * MIN ? GAP_CLASSES[1] : GAP_CLASSES[2]);

const isHit = (strategy: Strategy, gapMs: number): boolean => strategy !== 'none' && gapMs <= TTL_MS[strategy];

/** What one prompt token costs under a strategy after a gap (USD per MTok). */
const rateAfterGap = (strategy: Strategy, gapMs: number, prices: PriceUsdPerMTok): number => {
  if (strategy === 'none') return prices.input;
  if (isHit(strategy, gapMs)) return prices.cacheRead;
  if (strategy === '5m') return prices.cacheWrite5m;
  if (strategy === '1h') return prices.cacheWrite1h;
  return prices.input; // OpenAI: a miss is billed as input (§2.3 "no" write surcharge)
};

export interface PrefixEconomics {
  tenant: string;
  model: string;
  /** Block the prefix ends at (its breakpoint, or the end of the stable head). */
  path: string;
  tokens: number;
  wire: 'anthropic' | 'openai';
  current: Strategy;
  firstMs: number;
  lastMs: number;
  requests: number;
  costsUsd: Partial<Record<Strategy, number>>;
  /** Requests each strategy would have served from the cache. */
  hits: Partial<Record<Strategy, number>>;
  /** What the requests cost under the strategy each one used, and how many of them it read. */
  currentUsd: number;
  currentHits: number;
  gaps: Record<string, number>;
  /** The caller's sequence number of the prefix's last request (doctor --jobs: its line), for merging shards in recency order. */
  seq: number;
}

export interface TtlTracker {
  observe: (
    key: string,
    make: () => Omit<PrefixEconomics, 'costsUsd' | 'hits' | 'currentUsd' | 'currentHits' | 'gaps' | 'requests' | 'firstMs' | 'lastMs' | 'seq'>,
    atMs: number,
    current: Strategy,
    prices: PriceUsdPerMTok,
    seq?: number,
  ) => void;
  /** Prefixes created so far (including those pushed out since). */
  created: () => number;
  /** Every prefix seen at least twice, including those already pushed out of memory. */
  finish: () => PrefixEconomics[];
}

export const MAX_PREFIXES = 100_000;

export const createTtlTracker = (): TtlTracker => {
  const live = new Map<string, PrefixEconomics>();
  const done: PrefixEconomics[] = [];
  let created = 0;
  const retire = (p: PrefixEconomics): void => {
    if (p.requests >= 2) done.push(p);
  };
  return {
    created: () => created,
    observe: (key, make, atMs, current, prices, seq = 0) => {
      let p = live.get(key);
      const gapMs = p === undefined ? Number.POSITIVE_INFINITY : atMs - p.lastMs;
      if (p === undefined) {
        // Built field by field: a spread and Object.fromEntries in one literal made a ~2.5 kB
        // dictionary-mode object per prefix, most of doctor's analysis time on a log of unique prefixes.
        const m = make();
        const gaps: Record<string, number> = {};
        for (const g of GAP_CLASSES) gaps[g] = 0;
        p = { tenant: m.tenant, model: m.model, path: m.path, tokens: m.tokens, wire: m.wire, current: m.current, requests: 0, firstMs: atMs, lastMs: atMs, costsUsd: {}, hits: {}, currentUsd: 0, currentHits: 0, gaps, seq };
        created++;
        if (live.size >= MAX_PREFIXES) {
          const [oldestKey, oldest] = live.entries().next().value as [string, PrefixEconomics];
          live.delete(oldestKey);
          retire(oldest);
        }
      } else live.delete(key); // re-inserted below: the Map's order is recency
      live.set(key, p);
      p.requests++;
      p.lastMs = atMs;
      p.seq = seq;
      p.current = current;
      if (Number.isFinite(gapMs)) p.gaps[gapClass(gapMs)]++;
      for (const s of STRATEGIES[p.wire]) {
        p.costsUsd[s] = (p.costsUsd[s] ?? 0) + (p.tokens * rateAfterGap(s, gapMs, prices)) / 1e6;
        if (isHit(s, gapMs)) p.hits[s] = (p.hits[s] ?? 0) + 1;
      }
      p.currentUsd += (p.tokens * rateAfterGap(current, gapMs, prices)) / 1e6;
      if (isHit(current, gapMs)) p.currentHits++;
    },
    finish: () => {
      for (const p of live.values()) retire(p);
      live.clear();
      return done;
    },
  };
};

/** The cheapest strategy and what it saves over what was paid (0 when the current one is cheapest). */
export const bestStrategy = (p: PrefixEconomics): { best: Strategy; savingUsd: number } => {
  let best = p.current;
  let bestUsd = p.currentUsd;
  for (const s of STRATEGIES[p.wire]) {
    const usd = p.costsUsd[s] ?? Number.POSITIVE_INFINITY;
    if (usd < bestUsd - 1e-12) {
      best = s;
      bestUsd = usd;
    }
  }
  return { best, savingUsd: Math.max(0, p.currentUsd - bestUsd) };
};
