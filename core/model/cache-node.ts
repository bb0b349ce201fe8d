// One serving node's prompt cache: entries keyed by prefix key, a token capacity, LRU eviction.
// A Map finds an entry by key; the entries also form a doubly linked list from least to most
// recently used, threaded through the entries themselves, so a hit moves an entry to the recent
// end with four pointer writes. (Re-inserting into the Map on every hit kept the same order, but
// a delete and a set per hit grew and rehashed the Map's table: a tenth of the simulator's time.)

export interface CacheEntry {
  key: number;
  /** Length of the prefix this entry names, tokens. */
  prefixTokens: number;
  /** Capacity it occupies: the tokens beyond the prefix it extends (shared ancestors count once). */
  chargedTokens: number;
  /**
   * Key of the entry it extends (0: none, it holds its whole prefix). Its blocks beyond that entry
   * are all it holds, so without that entry it cannot be read: a read stops at the first missing block.
   */
  parentKey?: number;
  writtenAtMs: number;
  lastUsedMs: number;
  expiresAtMs: number;
  /** The writer's first token: before it, concurrent requests cannot read the entry (§1.7). */
  readableAtMs: number;
  ttlMs: number;
  /** The LRU list's neighbours: the entry used just before this one, and just after (undefined at the ends). */
  older?: CacheEntry;
  newer?: CacheEntry;
}

export interface CacheNode {
  capacityTokens: number;
  usedTokens: number;
  /** Entries by slot (see `slotOf`); each entry keeps its full key. The Map's own order means nothing. */
  entries: Map<number, CacheEntry>;
  /** Entries removed to make room (not counting expiry), for metrics and tests. */
  evictions: number;
  /** The ends of the LRU list: the least recently used entry (evicted first) and the most recent. */
  oldest?: CacheEntry;
  newest?: CacheEntry;
}

/**
 * The Map slot of a 52-bit key: its low 30 bits, a small integer, which V8's Map hashes about
 * twice as fast as a heap number. Lookups compare the full key, so two keys sharing a slot (about
 * 1 in 10^9 per pair) cost each other a miss now and then, never a false hit.
 */
export const slotOf = (key: number): number => (key >>> 0) & 0x3fffffff;

export const createCacheNode = (capacityTokens: number): CacheNode => ({
  capacityTokens,
  usedTokens: 0,
  entries: new Map(),
  evictions: 0,
  oldest: undefined,
  newest: undefined,
});

const unlink = (node: CacheNode, entry: CacheEntry): void => {
  const { older, newer } = entry;
  if (older === undefined) node.oldest = newer;
  else older.newer = newer;
  if (newer === undefined) node.newest = older;
  else newer.older = older;
  entry.older = undefined;
  entry.newer = undefined;
};

const append = (node: CacheNode, entry: CacheEntry): void => {
  const newest = node.newest;
  entry.older = newest;
  entry.newer = undefined;
  if (newest === undefined) node.oldest = entry;
  else newest.newer = entry;
  node.newest = entry;
};

const remove = (node: CacheNode, entry: CacheEntry): void => {
  node.entries.delete(slotOf(entry.key));
  unlink(node, entry);
  node.usedTokens -= entry.chargedTokens;
};

/** The entries from least to most recently used: the order eviction takes them in. */
export const entriesOldestFirst = (node: CacheNode): CacheEntry[] => {
  const out: CacheEntry[] = [];
  for (let e = node.oldest; e !== undefined; e = e.newer) out.push(e);
  return out;
};

/** A node holding `entries`, least recently used first (a snapshot's order). */
export const restoreCacheNode = (
  fields: Pick<CacheNode, 'capacityTokens' | 'usedTokens' | 'evictions'>,
  entries: readonly CacheEntry[],
): CacheNode => {
  const node: CacheNode = { ...fields, entries: new Map(), oldest: undefined, newest: undefined };
  for (const entry of entries) {
    node.entries.set(slotOf(entry.key), entry);
    append(node, entry);
  }
  return node;
};

/** The live entry for `key`, readable or not; an expired one is dropped on the way. */
export const peekEntry = (node: CacheNode, key: number, nowMs: number): CacheEntry | undefined => {
  const entry = node.entries.get(slotOf(key));
  if (entry === undefined || entry.key !== key) return undefined;
  if (nowMs >= entry.expiresAtMs) {
    remove(node, entry);
    return undefined;
  }
  return entry;
};

export const isReadable = (entry: CacheEntry, nowMs: number): boolean => entry.readableAtMs <= nowMs;

/** A hit: most recently used, and the TTL restarts from this request's start when it refreshes. */
export const touchEntry = (node: CacheNode, entry: CacheEntry, nowMs: number, refresh: boolean): void => {
  entry.lastUsedMs = nowMs;
  if (refresh) entry.expiresAtMs = Math.max(entry.expiresAtMs, nowMs + entry.ttlMs);
  if (node.newest === entry) return;
  // An entry no longer in the list (dropped since it was found) is not brought back.
  if (entry.older === undefined && node.oldest !== entry) return;
  unlink(node, entry);
  append(node, entry);
};

/** Evicts least recently used entries until `tokens` more fit. */
export const makeRoom = (node: CacheNode, tokens: number): void => {
  while (node.oldest !== undefined && node.usedTokens + tokens > node.capacityTokens) {
    remove(node, node.oldest);
    node.evictions++;
  }
};

/** Stores an entry (replacing one with the same key); an entry larger than the node is not kept. */
export const insertEntry = (node: CacheNode, entry: CacheEntry): boolean => {
  const slot = slotOf(entry.key);
  const existing = node.entries.get(slot);
  if (existing !== undefined) remove(node, existing);
  if (entry.chargedTokens > node.capacityTokens) return false;
  makeRoom(node, entry.chargedTokens);
  node.entries.set(slot, entry);
  append(node, entry);
  node.usedTokens += entry.chargedTokens;
  return true;
};

// Entries evicted by `writeEntry`, written again as the next entries. A new entry cost more than
// anything else the provider does per request: entries live long, so V8 allocates them in the old
// generation, and each of their six time and key fields is a separate heap number. A reused entry's
// fields are overwritten in place. Only `writeEntry` evicts into the pool: nothing holds an entry
// it evicts (the provider's plan is done with its hits before it writes), which is not true of
// every eviction (a test may hold an entry while it cuts a node's capacity).
const spare: CacheEntry[] = [];
const MAX_SPARE = 1_024;

/**
 * A planned write: stores an entry for `key` unless a live entry already has that key, which is
 * returned instead (a concurrent writer's, pending or not) and nothing is stored. The same steps
 * as `peekEntry` then `insertEntry` (an expired entry under the key, or another key's in the slot,
 * is dropped first; an entry larger than the node is not kept), in one lookup.
 */
export const writeEntry = (
  node: CacheNode,
  key: number,
  prefixTokens: number,
  chargedTokens: number,
  parentKey: number,
  ttlMs: number,
  nowMs: number,
  readableAtMs: number,
): CacheEntry | undefined => {
  const slot = slotOf(key);
  const existing = node.entries.get(slot);
  if (existing !== undefined) {
    if (existing.key === key && nowMs < existing.expiresAtMs) return existing;
    remove(node, existing);
  }
  if (chargedTokens > node.capacityTokens) return undefined;
  while (node.oldest !== undefined && node.usedTokens + chargedTokens > node.capacityTokens) {
    const evicted: CacheEntry = node.oldest;
    remove(node, evicted);
    node.evictions++;
    if (spare.length < MAX_SPARE) spare.push(evicted);
  }
  let entry = spare.pop();
  if (entry === undefined) {
    entry = { key, prefixTokens, chargedTokens, parentKey, writtenAtMs: nowMs, lastUsedMs: nowMs, expiresAtMs: nowMs + ttlMs, readableAtMs, ttlMs, older: undefined, newer: undefined };
  } else {
    entry.key = key;
    entry.prefixTokens = prefixTokens;
    entry.chargedTokens = chargedTokens;
    entry.parentKey = parentKey;
    entry.writtenAtMs = nowMs;
    entry.lastUsedMs = nowMs;
    entry.expiresAtMs = nowMs + ttlMs;
    entry.readableAtMs = readableAtMs;
    entry.ttlMs = ttlMs;
  }
  node.entries.set(slot, entry);
  append(node, entry);
  node.usedTokens += chargedTokens;
  return undefined;
};

/** Drops every expired entry: a full pass, for occasional use. */
export const sweepExpired = (node: CacheNode, nowMs: number): void => {
  for (let entry = node.oldest; entry !== undefined; ) {
    const newer = entry.newer;
    if (nowMs >= entry.expiresAtMs) remove(node, entry);
    entry = newer;
  }
};

/**
 * Drops expired entries from the least recently used end and stops at the first live one: the
 * entries used longest ago are the ones that expire first when TTLs are alike, so this frequent
 * pass is cheap and catches most of them; `sweepExpired` catches the rest now and then.
 */
export const sweepOldest = (node: CacheNode, nowMs: number): void => {
  while (node.oldest !== undefined && nowMs >= node.oldest.expiresAtMs) remove(node, node.oldest);
};

export const setCapacity = (node: CacheNode, capacityTokens: number): void => {
  node.capacityTokens = capacityTokens;
  makeRoom(node, 0);
};

export const clearNode = (node: CacheNode): void => {
  // Unlinked one by one, so an entry someone still holds reads as out of the list (touchEntry).
  while (node.oldest !== undefined) unlink(node, node.oldest);
  node.entries.clear();
  node.oldest = undefined;
  node.newest = undefined;
  node.usedTokens = 0;
};
