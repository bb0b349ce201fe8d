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

/** The plan and its input-token usage (Usage without outputTokens), in one object: one per request. */
export interface CachePlan extends Omit<Usage, 'outputTokens'> {
  /** Longest readable cached prefix, tokens (0 on a miss). */
  hitTokens: number;
  /** Entries on the hit path, refreshed when the request is admitted (read only: often the shared empty list). */
  hits: readonly CacheEntry[];
  writes: readonly PlannedWrite[];
}

// Most requests read nothing or write nothing: one shared empty list instead of a new one each time.
const NO_HITS: CacheEntry[] = [];
const NO_WRITES: PlannedWrite[] = [];

/** `list` with `item` appended; a new one-item list in place of the shared empty one. */
const withItem = <T>(list: T[], empty: T[], item: T): T[] => {
  if (list === empty) return [item];
  list.push(item);
  return list;
};

/** A breakpoint the cache honours: below the model's minimum one is ignored, silently (provider-facts §1.5). */
const eligible = ({ segments, cumTokens }: PromptLayout, b: number, minTokens: number): boolean =>
  segments[b].breakpoint !== undefined && cumTokens[b + 1] >= minTokens;

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
  // One pass to check the breakpoints; the loops below visit the eligible ones in place, so a
  // request allocates no list of them.
  let breakpoints = 0;
  let previousTtl: CacheTtl | undefined;
  let ttlOutOfOrder = false;
  for (let i = 0; i < segments.length; i++) {
    const ttl = segments[i].breakpoint;
    if (ttl === undefined) continue;
    breakpoints++;
    if (previousTtl !== undefined && ttlOrder[ttl] < ttlOrder[previousTtl]) ttlOutOfOrder = true;
    previousTtl = ttl;
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
  // Eligible breakpoints from the last: the longest readable prefix wins.
  for (let b = segments.length - 1; b >= 0 && hitEntry === undefined; b--) {
    if (!eligible(layout, b, minTokens)) continue;
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
  let hits: CacheEntry[] = NO_HITS;
  for (let p = 0; p < hitPosition; p++) {
    const entry = peekEntry(node, chainKeys[p + 1], nowMs);
    if (entry !== undefined) hits = withItem(hits, NO_HITS, entry);
  }
  if (hitEntry !== undefined) hits = withItem(hits, NO_HITS, hitEntry);

  let writes: PlannedWrite[] = NO_WRITES;
  let previous = hitTokens;
  let parentKey = hitEntry === undefined ? 0 : hitEntry.key;
  let write1hTokens = 0;
  let lastWrittenTokens = hitTokens;
  for (let b = 0; b < segments.length; b++) {
    if (!eligible(layout, b, minTokens)) continue;
    const prefixTokens = cumTokens[b + 1];
    if (prefixTokens <= hitTokens) continue;
    const ttl = segments[b].breakpoint as CacheTtl;
    const key = chainKeys[b + 1];
    const write = { key, prefixTokens, chargedTokens: prefixTokens - previous, parentKey, ttlMs: config.caching.ttlMs[ttl] };
    writes = withItem(writes, NO_WRITES, write);
    if (ttl === '1h') write1hTokens = prefixTokens - hitTokens;
    previous = prefixTokens;
    parentKey = key;
    lastWrittenTokens = prefixTokens;
  }
  return {
    hitTokens,
    hits,
    writes,
    inputTokens: total - lastWrittenTokens,
    cacheReadTokens: hitTokens,
    cacheWriteTokens: lastWrittenTokens - hitTokens,
    cacheWrite1hTokens: write1hTokens,
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
    inputTokens: total - previous,
    cacheReadTokens: hitTokens,
    cacheWriteTokens: previous - hitTokens,
    cacheWrite1hTokens: 0,
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
