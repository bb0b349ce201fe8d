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

/**
 * The plan and its input-token usage (Usage without outputTokens). One object, filled anew by each
 * plan (the provider plans one request at a time and is done with a plan before the next), with
 * lists that keep their storage: a plan per request was five objects (itself, two one-item lists
 * and a write), most of the provider's garbage.
 */
export interface CachePlan extends Omit<Usage, 'outputTokens'> {
  /** Longest readable cached prefix, tokens (0 on a miss). */
  hitTokens: number;
  /** Entries on the hit path, refreshed when the request is admitted: the first `hitCount`. */
  hits: CacheEntry[];
  hitCount: number;
  /** The entries to write, in order: the first `writeCount` (each object is used again by the next plan). */
  writes: PlannedWrite[];
  writeCount: number;
}

const PLAN: CachePlan = { hitTokens: 0, hits: [], hitCount: 0, writes: [], writeCount: 0, inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0 };

const addHit = (plan: CachePlan, entry: CacheEntry): void => {
  plan.hits[plan.hitCount++] = entry;
};

const addWrite = (plan: CachePlan, key: number, prefixTokens: number, chargedTokens: number, parentKey: number, ttlMs: number): void => {
  const i = plan.writeCount++;
  const write = plan.writes[i];
  if (write === undefined) {
    plan.writes[i] = { key, prefixTokens, chargedTokens, parentKey, ttlMs };
    return;
  }
  write.key = key;
  write.prefixTokens = prefixTokens;
  write.chargedTokens = chargedTokens;
  write.parentKey = parentKey;
  write.ttlMs = ttlMs;
};

/** The shared plan, emptied. */
const startPlan = (): CachePlan => {
  const plan = PLAN;
  plan.hitCount = 0;
  plan.writeCount = 0;
  return plan;
};

/** The usage figures of a plan, set once its reads and writes are known. */
const finishPlan = (plan: CachePlan, total: number, hitTokens: number, writtenTokens: number, write1hTokens: number): CachePlan => {
  plan.hitTokens = hitTokens;
  plan.inputTokens = total - writtenTokens;
  plan.cacheReadTokens = hitTokens;
  plan.cacheWriteTokens = writtenTokens - hitTokens;
  plan.cacheWrite1hTokens = write1hTokens;
  return plan;
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
  const plan = startPlan();
  for (let p = 0; p < hitPosition; p++) {
    const entry = peekEntry(node, chainKeys[p + 1], nowMs);
    if (entry !== undefined) addHit(plan, entry);
  }
  if (hitEntry !== undefined) addHit(plan, hitEntry);

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
    addWrite(plan, key, prefixTokens, prefixTokens - previous, parentKey, config.caching.ttlMs[ttl]);
    if (ttl === '1h') write1hTokens = prefixTokens - hitTokens;
    previous = prefixTokens;
    parentKey = key;
    lastWrittenTokens = prefixTokens;
  }
  return finishPlan(plan, total, hitTokens, lastWrittenTokens, write1hTokens);
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
  const plan = startPlan();
  for (const point of points) {
    const entry = peekEntry(node, point.key, nowMs);
    if (entry === undefined || !isReadable(entry, nowMs)) break;
    addHit(plan, entry);
  }
  const hitIndex = plan.hitCount - 1;
  const hitTokens = hitIndex >= 0 ? points[hitIndex].tokens : 0;
  let previous = hitTokens;
  let parentKey = hitIndex >= 0 ? points[hitIndex].key : 0;
  for (let i = hitIndex + 1; i < points.length; i++) {
    const { tokens, key } = points[i];
    addWrite(plan, key, tokens, tokens - previous, parentKey, ttlMs);
    previous = tokens;
    parentKey = key;
  }
  return finishPlan(plan, total, hitTokens, previous, 0);
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
