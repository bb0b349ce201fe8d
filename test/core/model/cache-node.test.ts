import { describe, expect, it } from 'vitest';
import {
  type CacheEntry,
  type CacheNode,
  clearNode,
  createCacheNode,
  entriesOldestFirst,
  insertEntry,
  isReadable,
  peekEntry,
  setCapacity,
  sweepExpired,
  touchEntry,
  writeEntry,
} from '../../../core/model/cache-node.ts';

const FIVE_MIN = 300_000;

/** An entry of `tokens` tokens written at `atMs`, readable at once, with a 5-minute TTL. */
const entry = (key: number, tokens: number, atMs = 0, ttlMs = FIVE_MIN): CacheEntry => ({
  key,
  prefixTokens: tokens,
  chargedTokens: tokens,
  writtenAtMs: atMs,
  lastUsedMs: atMs,
  expiresAtMs: atMs + ttlMs,
  readableAtMs: atMs,
  ttlMs,
});

const keys = (node: CacheNode): number[] => entriesOldestFirst(node).map((e) => e.key);

describe('cache node', () => {
  it('keeps an entry until just before its TTL and drops it at exactly the TTL', () => {
    const node = createCacheNode(1_000);
    insertEntry(node, entry(1, 100, 0));
    const live = peekEntry(node, 1, 299_999);
    expect(live === undefined ? undefined : [live.writtenAtMs, live.expiresAtMs]).toEqual([0, 300_000]);
    expect(peekEntry(node, 1, 300_000)).toBeUndefined();
    // Dropping the expired entry frees its 100 tokens.
    expect([node.entries.size, node.usedTokens]).toEqual([0, 0]);
  });

  it('restarts the TTL from the hit when it refreshes', () => {
    const node = createCacheNode(1_000);
    const e = entry(1, 100, 0);
    insertEntry(node, e);
    // Hit at 200 s: expires at 200,000 + 300,000 = 500,000.
    touchEntry(node, e, 200_000, true);
    expect([e.lastUsedMs, e.expiresAtMs]).toEqual([200_000, 500_000]);
    expect(peekEntry(node, 1, 499_999)).toBe(e);
    expect(peekEntry(node, 1, 500_000)).toBeUndefined();
  });

  it('keeps the original expiry when a hit does not refresh', () => {
    const node = createCacheNode(1_000);
    const e = entry(1, 100, 0);
    insertEntry(node, e);
    touchEntry(node, e, 200_000, false);
    expect([e.lastUsedMs, e.expiresAtMs]).toEqual([200_000, 300_000]);
  });

  it('never shortens a TTL on a refresh', () => {
    const node = createCacheNode(1_000);
    const e = entry(1, 100, 0, 3_600_000);
    insertEntry(node, e);
    // A 1 h entry touched at 10 s: 10,000 + 3,600,000 = 3,610,000.
    touchEntry(node, e, 10_000, true);
    expect(e.expiresAtMs).toBe(3_610_000);
  });

  it('evicts the least recently used entry when the node is full', () => {
    const node = createCacheNode(300);
    insertEntry(node, entry(1, 100, 0));
    insertEntry(node, entry(2, 100, 1));
    insertEntry(node, entry(3, 100, 2));
    // Touching 1 makes 2 the least recently used.
    touchEntry(node, node.entries.get(1) as CacheEntry, 3, true);
    insertEntry(node, entry(4, 100, 4));
    expect(keys(node)).toEqual([3, 1, 4]);
    expect([node.usedTokens, node.evictions]).toEqual([300, 1]);
  });

  it('evicts as many old entries as a large write needs, oldest first', () => {
    const node = createCacheNode(300);
    insertEntry(node, entry(1, 100));
    insertEntry(node, entry(2, 100));
    insertEntry(node, entry(3, 100));
    // 250 tokens need 250 free: 1, 2 and 3 must all go (300 − 100 − 100 = 100 is not enough).
    insertEntry(node, entry(4, 250));
    expect(keys(node)).toEqual([4]);
    expect([node.usedTokens, node.evictions]).toEqual([250, 3]);
  });

  it('does not keep an entry larger than the whole node, and evicts nothing for it', () => {
    const node = createCacheNode(300);
    insertEntry(node, entry(1, 100));
    expect(insertEntry(node, entry(2, 301))).toBe(false);
    expect([keys(node), node.usedTokens, node.evictions]).toEqual([[1], 100, 0]);
  });

  it('replaces an entry with the same key without counting it twice', () => {
    const node = createCacheNode(300);
    insertEntry(node, entry(1, 100));
    insertEntry(node, entry(1, 120, 5));
    expect([keys(node), node.usedTokens, node.evictions]).toEqual([[1], 120, 0]);
  });

  it('hides an entry from readers until the writer’s first token', () => {
    const e = { ...entry(1, 100, 0), readableAtMs: 1_600 };
    expect([isReadable(e, 1_599), isReadable(e, 1_600)]).toEqual([false, true]);
  });

  it('evicts least recently used entries when its capacity is cut', () => {
    const node = createCacheNode(400);
    for (const key of [1, 2, 3, 4]) insertEntry(node, entry(key, 100, key));
    setCapacity(node, 250);
    // 400 → at most 250: entries 1 and 2 go, 200 remain.
    expect([keys(node), node.usedTokens, node.evictions]).toEqual([[3, 4], 200, 2]);
  });

  it('sweeps expired entries without counting them as evictions', () => {
    const node = createCacheNode(1_000);
    insertEntry(node, entry(1, 100, 0));
    insertEntry(node, entry(2, 100, 60_000));
    sweepExpired(node, 300_000);
    expect([keys(node), node.usedTokens, node.evictions]).toEqual([[2], 100, 0]);
  });

  it('empties completely when cleared', () => {
    const node = createCacheNode(1_000);
    insertEntry(node, entry(1, 100));
    clearNode(node);
    expect([node.entries.size, node.usedTokens]).toEqual([0, 0]);
  });

  it('does not bring back an entry dropped since it was found', () => {
    const node = createCacheNode(1_000);
    const [a, b] = [entry(1, 100), entry(2, 100)];
    insertEntry(node, a);
    insertEntry(node, b);
    clearNode(node);
    touchEntry(node, b, 10, true);
    insertEntry(node, entry(3, 100));
    expect([keys(node), node.usedTokens]).toEqual([[3], 100]);
  });

  it('writes an entry as insertEntry does, evicting the least recently used, its fields all new', () => {
    const node = createCacheNode(300);
    for (const key of [1, 2, 3]) writeEntry(node, key, 100, 100, 0, FIVE_MIN, key, key + 0.5);
    touchEntry(node, node.entries.get(1) as CacheEntry, 4, true);
    // Key 2 is the least recently used: evicted, and its object may carry key 4 now.
    expect(writeEntry(node, 4, 250, 100, 3, 60_000, 5, 7.25)).toBeUndefined();
    expect([keys(node), node.usedTokens, node.evictions]).toEqual([[3, 1, 4], 300, 1]);
    expect(node.entries.get(4)).toEqual({ key: 4, prefixTokens: 250, chargedTokens: 100, parentKey: 3, writtenAtMs: 5, lastUsedMs: 5, expiresAtMs: 60_005, readableAtMs: 7.25, ttlMs: 60_000, older: node.entries.get(1), newer: undefined });
    expect(peekEntry(node, 2, 5)).toBeUndefined();
  });

  it('returns the live entry already under a key and stores nothing; replaces an expired one', () => {
    const node = createCacheNode(1_000);
    writeEntry(node, 1, 100, 100, 0, FIVE_MIN, 0, 50);
    const first = node.entries.get(1);
    expect(writeEntry(node, 1, 100, 100, 0, FIVE_MIN, 10, 60)).toBe(first);
    expect([node.entries.size, node.usedTokens, first?.readableAtMs]).toEqual([1, 100, 50]);
    expect(writeEntry(node, 1, 100, 100, 0, FIVE_MIN, FIVE_MIN, FIVE_MIN + 5)).toBeUndefined();
    expect([node.entries.size, node.usedTokens, node.evictions, node.entries.get(1)?.readableAtMs]).toEqual([1, 100, 0, FIVE_MIN + 5]);
    expect(writeEntry(node, 2, 1_001, 1_001, 0, FIVE_MIN, FIVE_MIN, FIVE_MIN)).toBeUndefined();
    expect(keys(node)).toEqual([1]);
  });
});
