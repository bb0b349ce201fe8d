// Replay is exact on the public Mooncake traces: with the lru-blocks profile, the hit rate equals
// an independent block-LRU written here, for three capacities, to 4 decimals.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeConfig, type ProviderConfig } from '../../../core/model/config.ts';
import { lruBlocksProfile } from '../../../core/model/profiles/lru-blocks.ts';
import { replayTrace } from '../../../simulator/replay/replay.ts';
import { ROOT } from '../../cli/helpers.ts';

const TRACES = join(ROOT, '../shared/traces/mooncake');
const BLOCK = 512;

/**
 * The reference: an LRU of at most `capacity` full blocks, keyed by hash id (chained ids name
 * their whole prefix). A request reads its resident full blocks from the first and stops at the
 * first missing one, refreshes those it read in order, then writes the rest in order, evicting
 * the least recently used block when full.
 */
const blockLruHitRate = (lines: Array<{ input_length: number; hash_ids: number[] }>, capacity: number): number => {
  const lru = new Set<number>();
  let hitTokens = 0;
  let allTokens = 0;
  for (const { input_length, hash_ids } of lines) {
    const full = hash_ids.slice(0, Math.floor(input_length / BLOCK));
    let hits = 0;
    while (hits < full.length && lru.has(full[hits])) hits++;
    for (const id of full) {
      lru.delete(id);
      lru.add(id);
      if (lru.size > capacity) lru.delete(lru.values().next().value as number);
    }
    hitTokens += hits * BLOCK;
    allTokens += input_length;
  }
  return hitTokens / allTokens;
};

const CAPACITIES = [1_000, 10_000, Number.POSITIVE_INFINITY];

describe.each(['conversation_trace', 'synthetic_trace'])('replay of the Mooncake %s on lru-blocks', (name) => {
  const file = join(TRACES, `${name}.jsonl`);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { input_length: number; hash_ids: number[] });

  it.each(CAPACITIES)('matches an independent block LRU of %d blocks to 4 decimals', async (capacity) => {
    const config = mergeConfig<ProviderConfig>(lruBlocksProfile, Number.isFinite(capacity) ? { nodes: { capacityTokens: capacity * BLOCK } } : {});
    const summary = await replayTrace({ file, config });
    const expected = blockLruHitRate(lines, capacity);
    expect(summary.totals.requests).toBe(lines.length);
    expect(summary.totals.hitRate.toFixed(4)).toBe(expected.toFixed(4));
  });
});
