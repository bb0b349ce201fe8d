// Which prefix a request reads from a node's cache and which entries it writes, for the two
// caching modes. Pure planning: nothing is mutated except that expired entries are dropped.

import type { ProviderConfig } from './config.ts';
import { type CacheNode, isReadable, peekEntry, type CacheEntry } from './cache-node.ts';
import { automaticPoints, type PromptLayout, promptTokens } from './prefix.ts';
import type { CacheTtl, Usage } from './types.ts';

export interface PlannedWrite {
  key: number;
  prefixTokens: number;
  chargedTokens: number;
  /** The entry this one extends (0: none). */
  parentKey: number;
  ttlMs: number;
}

export interface CachePlan {
  /** Longest readable cached prefix, tokens (0 on a miss). */
  hitTokens: number;
  /** Entries on the hit path, refreshed when the request is admitted. */
  hits: CacheEntry[];
  writes: PlannedWrite[];
  usage: Omit<Usage, 'outputTokens'>;
}

export class InvalidPromptError extends Error {
  readonly param: string;
  constructor(message: string, param: string) {
    super(message);
    this.param = param;
  }
}

const ttlOrder: Record<CacheTtl, number> = { '1h': 0, '5m': 1 };

/**
 * Lowest block the lookback from breakpoint `b` reaches: at most `lookback` positions, the
 * breakpoint's own first, where a run of consecutive blocks of one group (tool_use, tool_result)
 * is one position (provider-facts §1.4).
 */
const windowStart = (segments: PromptLayout['segments'], b: number, lookback: number): number => {
  let positions = 1;
  let p = b;
  while (p > 0) {
    const group = segments[p - 1].group;
    const samePosition = group !== undefined && group === segments[p].group;
    if (!samePosition && positions === lookback) break;
    if (!samePosition) positions++;
    p--;
  }
  return p;
};

/**
 * Whether every entry an entry extends is still cached: it holds only the blocks beyond its
 * parent, so a read stops at the first missing block, as a block cache's does.
 */
const ancestorsPresent = (node: CacheNode, entry: CacheEntry, nowMs: number): boolean => {
  let parentKey = entry.parentKey ?? 0;
  while (parentKey !== 0) {
    const parent = peekEntry(node, parentKey, nowMs);
    if (parent === undefined) return false;
    parentKey = parent.parentKey ?? 0;
  }
  return true;
};

/** Anthropic: entries only at breakpoints; reads probe ≤ lookbackBlocks positions per breakpoint. */
const planBreakpoints = (
  config: ProviderConfig,
  node: CacheNode,
  layout: PromptLayout,
  minTokens: number,
  nowMs: number,
): CachePlan => {
  const { segments, cumTokens, chainKeys } = layout;
  const total = promptTokens(layout);
  // One pass: count the breakpoints, check their TTL order, keep the eligible ones.
  const eligible: number[] = [];
  let breakpoints = 0;
  let previousTtl: CacheTtl | undefined;
  let ttlOutOfOrder = false;
  for (let i = 0; i < segments.length; i++) {
    const ttl = segments[i].breakpoint;
    if (ttl === undefined) continue;
    breakpoints++;
    if (previousTtl !== undefined && ttlOrder[ttl] < ttlOrder[previousTtl]) ttlOutOfOrder = true;
    previousTtl = ttl;
    // Below the model's minimum a breakpoint is ignored, silently (provider-facts §1.5).
    if (cumTokens[i + 1] >= minTokens) eligible.push(i);
  }
  if (breakpoints > config.caching.maxBreakpoints) {
    throw new InvalidPromptError(
      `A maximum of ${config.caching.maxBreakpoints} blocks with cache_control may be provided. Found ${breakpoints}.`,
      'cache_control',
    );
  }
  if (ttlOutOfOrder) {
    throw new InvalidPromptError('a ttl=\'1h\' cache_control block must not come after a ttl=\'5m\' cache_control block', 'cache_control.ttl');
  }

  let hitTokens = 0;
  let hitEntry: CacheEntry | undefined;
  let hitPosition = -1;
  let probeTop = Number.POSITIVE_INFINITY;
  for (let k = eligible.length - 1; k >= 0 && hitEntry === undefined; k--) {
    const b = eligible[k];
    const lowest = windowStart(segments, b, config.caching.lookbackBlocks);
    for (let p = Math.min(b, probeTop); p >= lowest; p--) {
      const entry = peekEntry(node, chainKeys[p + 1], nowMs);
      if (entry !== undefined && isReadable(entry, nowMs) && ancestorsPresent(node, entry, nowMs)) {
        hitEntry = entry;
        hitTokens = cumTokens[p + 1];
        hitPosition = p;
        break;
      }
    }
    probeTop = Math.min(probeTop, lowest - 1);
  }
  // Every entry inside the prefix read is content this request used: refreshed with it (§1.6
  // "refreshed … each time the cached content is used"), so a read of A+B keeps A alive.
  const hits: CacheEntry[] = [];
  for (let p = 0; p < hitPosition; p++) {
    const entry = peekEntry(node, chainKeys[p + 1], nowMs);
    if (entry !== undefined) hits.push(entry);
  }
  if (hitEntry !== undefined) hits.push(hitEntry);

  const writes: PlannedWrite[] = [];
  let previous = hitTokens;
  let parentKey = hitEntry === undefined ? 0 : hitEntry.key;
  let write1hTokens = 0;
  let lastWrittenTokens = hitTokens;
  for (const b of eligible) {
    const prefixTokens = cumTokens[b + 1];
    if (prefixTokens <= hitTokens) continue;
    const ttl = segments[b].breakpoint as CacheTtl;
    const key = chainKeys[b + 1];
    writes.push({ key, prefixTokens, chargedTokens: prefixTokens - previous, parentKey, ttlMs: config.caching.ttlMs[ttl] });
    if (ttl === '1h') write1hTokens = prefixTokens - hitTokens;
    previous = prefixTokens;
    parentKey = key;
    lastWrittenTokens = prefixTokens;
  }
  const cacheWriteTokens = lastWrittenTokens - hitTokens;
  return {
    hitTokens,
    hits,
    writes,
    usage: {
      inputTokens: total - lastWrittenTokens,
      cacheReadTokens: hitTokens,
      cacheWriteTokens,
      cacheWrite1hTokens: write1hTokens,
    },
  };
};

/** OpenAI: every prompt at or above the minimum is cached in 128-token steps, no breakpoints. */
const planAutomatic = (
  config: ProviderConfig,
  node: CacheNode,
  layout: PromptLayout,
  minTokens: number,
  ttlMs: number,
  nowMs: number,
): CachePlan => {
  const total = promptTokens(layout);
  const points = automaticPoints(layout, minTokens, config.caching.incrementTokens);
  // A block cache reads from the start and stops at the first missing block: the hit is the
  // longest run of cached points from the first, and every entry on it is refreshed.
  const hits: CacheEntry[] = [];
  for (const point of points) {
    const entry = peekEntry(node, point.key, nowMs);
    if (entry === undefined || !isReadable(entry, nowMs)) break;
    hits.push(entry);
  }
  const hitIndex = hits.length - 1;
  const hitTokens = hitIndex >= 0 ? points[hitIndex].tokens : 0;
  const writes: PlannedWrite[] = [];
  let previous = hitTokens;
  let parentKey = hitIndex >= 0 ? points[hitIndex].key : 0;
  for (let i = hitIndex + 1; i < points.length; i++) {
    const { tokens, key } = points[i];
    writes.push({ key, prefixTokens: tokens, chargedTokens: tokens - previous, parentKey, ttlMs });
    previous = tokens;
    parentKey = key;
  }
  return {
    hitTokens,
    hits,
    writes,
    usage: { inputTokens: total - previous, cacheReadTokens: hitTokens, cacheWriteTokens: previous - hitTokens, cacheWrite1hTokens: 0 },
  };
};

export const planCache = (
  config: ProviderConfig,
  node: CacheNode,
  layout: PromptLayout,
  minTokens: number,
  retentionTtlMs: number,
  nowMs: number,
): CachePlan =>
  config.caching.mode === 'breakpoints'
    ? planBreakpoints(config, node, layout, minTokens, nowMs)
    : planAutomatic(config, node, layout, minTokens, retentionTtlMs, nowMs);
