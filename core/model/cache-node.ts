// One serving node's prompt cache: entries keyed by prefix key, a token capacity, LRU eviction.
// A Map keeps insertion order, so re-inserting on every touch makes its first entry the least
// recently used: eviction is O(1) per entry without a separate list.

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
}

export interface CacheNode {
  capacityTokens: number;
  usedTokens: number;
  /** Entries by slot (see `slotOf`); each entry keeps its full key. */
  entries: Map<number, CacheEntry>;
  /** Entries removed to make room (not counting expiry), for metrics and tests. */
  evictions: number;
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
});

const remove = (node: CacheNode, entry: CacheEntry): void => {
  node.entries.delete(slotOf(entry.key));
  node.usedTokens -= entry.chargedTokens;
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
  const slot = slotOf(entry.key);
  node.entries.delete(slot);
  node.entries.set(slot, entry);
};

/** Evicts least recently used entries until `tokens` more fit. */
export const makeRoom = (node: CacheNode, tokens: number): void => {
  // Checked before the iterator is made: a Map iterator starts at the table's first slot and
  // steps over every slot a touch (delete + set) has vacated since the last rehash, so making one
  // per write when nothing needs evicting was most of a long-prefix replay's time.
  if (node.usedTokens + tokens <= node.capacityTokens) return;
  for (const entry of node.entries.values()) {
    if (node.usedTokens + tokens <= node.capacityTokens) return;
    remove(node, entry);
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
  node.usedTokens += entry.chargedTokens;
  return true;
};

/** Drops every expired entry: a full pass, for occasional use. */
export const sweepExpired = (node: CacheNode, nowMs: number): void => {
  for (const entry of node.entries.values()) if (nowMs >= entry.expiresAtMs) remove(node, entry);
};

/**
 * Drops expired entries from the least recently used end and stops at the first live one: the
 * entries used longest ago are the ones that expire first when TTLs are alike, so this frequent
 * pass is cheap and catches most of them; `sweepExpired` catches the rest now and then.
 */
export const sweepOldest = (node: CacheNode, nowMs: number): void => {
  for (const entry of node.entries.values()) {
    if (nowMs < entry.expiresAtMs) return;
    remove(node, entry);
  }
};

export const setCapacity = (node: CacheNode, capacityTokens: number): void => {
  node.capacityTokens = capacityTokens;
  makeRoom(node, 0);
};

export const clearNode = (node: CacheNode): void => {
  node.entries.clear();
  node.usedTokens = 0;
};
