// Which prefix a request reads from a node's cache and which entries it writes, for the two
// caching modes. Pure planning: nothing is mutated except that expired entries are dropped.

import type { ProviderConfig } from './config.ts';
import { type CacheNode, isReadable, peekEntry, type CacheEntry } from './cache-node.ts';
import { automaticPoints, keyAtTokens, type PromptLayout, promptTokens } from './prefix.ts';
import type { CacheTtl, Usage } from './types.ts';

export interface PlannedWrite {
  key: number;
  prefixTokens: number;
  chargedTokens: number;
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
  const breakpoints: number[] = [];
  for (let i = 0; i < segments.length; i++) if (segments[i].breakpoint !== undefined) breakpoints.push(i);
  if (breakpoints.length > config.caching.maxBreakpoints) {
    throw new InvalidPromptError(
      `A maximum of ${config.caching.maxBreakpoints} blocks with cache_control may be provided. Found ${breakpoints.length}.`,
      'cache_control',
    );
  }
  for (let i = 1; i < breakpoints.length; i++) {
    const before = segments[breakpoints[i - 1]].breakpoint as CacheTtl;
    const after = segments[breakpoints[i]].breakpoint as CacheTtl;
    if (ttlOrder[after] < ttlOrder[before]) {
      throw new InvalidPromptError('a ttl=\'1h\' cache_control block must not come after a ttl=\'5m\' cache_control block', 'cache_control.ttl');
    }
  }
  // Below the model's minimum a breakpoint is ignored, silently (provider-facts §1.5).
  const eligible = breakpoints.filter((b) => cumTokens[b + 1] >= minTokens);

  let hitTokens = 0;
  let hitEntry: CacheEntry | undefined;
  let probeTop = Number.POSITIVE_INFINITY;
  for (let k = eligible.length - 1; k >= 0 && hitEntry === undefined; k--) {
    const b = eligible[k];
    const lowest = Math.max(0, b - config.caching.lookbackBlocks + 1);
    for (let p = Math.min(b, probeTop); p >= lowest; p--) {
      const entry = peekEntry(node, chainKeys[p + 1], nowMs);
      if (entry !== undefined && isReadable(entry, nowMs)) {
        hitEntry = entry;
        hitTokens = cumTokens[p + 1];
        break;
      }
    }
    probeTop = lowest - 1;
  }

  const writes: PlannedWrite[] = [];
  let previous = hitTokens;
  let write1hTokens = 0;
  let lastWrittenTokens = hitTokens;
  for (const b of eligible) {
    const prefixTokens = cumTokens[b + 1];
    if (prefixTokens <= hitTokens) continue;
    const ttl = segments[b].breakpoint as CacheTtl;
    writes.push({ key: chainKeys[b + 1], prefixTokens, chargedTokens: prefixTokens - previous, ttlMs: config.caching.ttlMs[ttl] });
    if (ttl === '1h') write1hTokens = prefixTokens - hitTokens;
    previous = prefixTokens;
    lastWrittenTokens = prefixTokens;
  }
  const cacheWriteTokens = lastWrittenTokens - hitTokens;
  return {
    hitTokens,
    hits: hitEntry === undefined ? [] : [hitEntry],
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
  const keys = points.map((p) => keyAtTokens(layout, p));
  let hitIndex = -1;
  let hitEntry: CacheEntry | undefined;
  for (let i = points.length - 1; i >= 0; i--) {
    const entry = peekEntry(node, keys[i], nowMs);
    if (entry !== undefined && isReadable(entry, nowMs)) {
      hitIndex = i;
      hitEntry = entry;
      break;
    }
  }
  // Ancestors of the hit are part of the same cached prefix: refresh them with it.
  const hits: CacheEntry[] = [];
  for (let i = 0; i < hitIndex; i++) {
    const entry = peekEntry(node, keys[i], nowMs);
    if (entry !== undefined) hits.push(entry);
  }
  if (hitEntry !== undefined) hits.push(hitEntry);
  const hitTokens = hitIndex >= 0 ? points[hitIndex] : 0;
  const writes: PlannedWrite[] = [];
  let previous = hitTokens;
  for (let i = hitIndex + 1; i < points.length; i++) {
    writes.push({ key: keys[i], prefixTokens: points[i], chargedTokens: points[i] - previous, ttlMs });
    previous = points[i];
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
