// The provider state as plain JSON and back (DESIGN §4b "Provider state is data"): caches with
// their LRU order, node slots, the router's rate counters, every limiter, drained nodes, the
// housekeeping clocks and the config as provider events left it. `stateToJson` then
// `stateFromJson` gives a state that answers every later request exactly as the original would:
// test/core/model/snapshot.test.ts proves it by continuing a simulation from one.
//
// Key salts and resolved model names are not saved: they are memos, rebuilt on first use.

import type { ProviderConfig, QuotaSpec } from './config.ts';
import { type CacheEntry, entriesOldestFirst, restoreCacheNode } from './cache-node.ts';
import { createModelMemo } from './model-memo.ts';
import type { Limiter } from './quotas/limiter.ts';
import type { ProviderState } from './provider.ts';

/** Numbers JSON cannot hold (Infinity, -Infinity) travel as strings. */
export type JsonNumber = number | 'Infinity' | '-Infinity';

const enc = (n: number): JsonNumber => (Number.isFinite(n) ? n : n > 0 ? 'Infinity' : '-Infinity');
const dec = (n: JsonNumber): number => (n === 'Infinity' ? Number.POSITIVE_INFINITY : n === '-Infinity' ? Number.NEGATIVE_INFINITY : n);

/** A cache entry as a tuple, in the order of `CacheEntry`'s fields (states hold millions of them). */
export type EntryJson = [
  key: number,
  prefixTokens: number,
  chargedTokens: number,
  writtenAtMs: number,
  lastUsedMs: number,
  expiresAtMs: JsonNumber,
  readableAtMs: number,
  ttlMs: number,
  parentKey: number | null,
];

export interface NodeJson {
  capacityTokens: number;
  usedTokens: number;
  evictions: number;
  drained: boolean;
  /** Least recently used first: the Map's order, which is the eviction order. */
  entries: EntryJson[];
  /** Each slot's free-at time, in heap order. */
  slotsFreeAtMs: number[];
}

export interface LimiterJson {
  tenant: string;
  model: string;
  /** The spec the limiter was made for (a quota-change event may have replaced the config's since). */
  spec: Omit<QuotaSpec, 'limit'> & { limit: JsonNumber };
  state: Record<string, JsonNumber | JsonNumber[]>;
}

export interface ProviderStateJson {
  /** JSON's rendering of the config: unlimited values are null, as GET /admin/config writes them. */
  config: unknown;
  nodes: NodeJson[];
  liveNodes: number[];
  router: { lastSweepMs: JsonNumber; rates: Array<[slot: number, windowStartMs: number, count: number, previousCount: number]> };
  /** Per tenant and model, in the configured order (the order admission checks them). */
  limiters: LimiterJson[][];
  lastSweepMs: JsonNumber;
  lastFullSweepMs: JsonNumber;
}

const entryToJson = (e: CacheEntry): EntryJson => [
  e.key,
  e.prefixTokens,
  e.chargedTokens,
  e.writtenAtMs,
  e.lastUsedMs,
  enc(e.expiresAtMs),
  e.readableAtMs,
  e.ttlMs,
  e.parentKey ?? null,
];

const entryFromJson = ([key, prefixTokens, chargedTokens, writtenAtMs, lastUsedMs, expiresAtMs, readableAtMs, ttlMs, parentKey]: EntryJson): CacheEntry => ({
  key,
  prefixTokens,
  chargedTokens,
  ...(parentKey === null ? {} : { parentKey }),
  writtenAtMs,
  lastUsedMs,
  expiresAtMs: dec(expiresAtMs),
  readableAtMs,
  ttlMs,
});

/** A limiter's state: numbers, or a Float64Array (the rolling window's ring). */
const limiterStateToJson = (state: unknown): LimiterJson['state'] => {
  const out: LimiterJson['state'] = {};
  for (const [k, v] of Object.entries(state as Record<string, unknown>)) {
    out[k] = v instanceof Float64Array ? Array.from(v, enc) : enc(v as number);
  }
  return out;
};

const limiterStateFromJson = (json: LimiterJson['state']): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) out[k] = Array.isArray(v) ? Float64Array.from(v, dec) : dec(v);
  return out;
};

export const stateToJson = (state: ProviderState): ProviderStateJson => {
  const limiters: LimiterJson[][] = [];
  for (const [tenant, byModel] of state.quotas) {
    for (const [model, list] of byModel) {
      limiters.push(list.map((l) => ({ tenant, model, spec: { ...l.spec, limit: enc(l.spec.limit) }, state: limiterStateToJson(l.state) })));
    }
  }
  return {
    config: JSON.parse(JSON.stringify(state.config)),
    nodes: state.nodes.map((n) => ({
      capacityTokens: n.cache.capacityTokens,
      usedTokens: n.cache.usedTokens,
      evictions: n.cache.evictions,
      drained: n.drained,
      entries: entriesOldestFirst(n.cache).map(entryToJson),
      slotsFreeAtMs: Array.from(n.slots.freeAtMs),
    })),
    liveNodes: [...state.liveNodes],
    router: {
      lastSweepMs: enc(state.router.lastSweepMs),
      rates: Array.from(state.router.rates, ([slot, r]) => [slot, r.windowStartMs, r.count, r.previousCount]),
    },
    limiters,
    lastSweepMs: enc(state.lastSweepMs),
    lastFullSweepMs: enc(state.lastFullSweepMs),
  };
};

const sameSpec = (a: QuotaSpec, b: QuotaSpec): boolean =>
  a.name === b.name && a.dimension === b.dimension && a.kind === b.kind && a.limit === b.limit && a.windowMs === b.windowMs;

/**
 * The state back from its JSON. `config` is the already-checked config (the caller parses
 * `json.config` with providerConfigSchema, which reads null back as unlimited). Limiters are tied
 * to the config's own quota objects, as the provider ties them, so a later quota-change finds them.
 */
export const stateFromJson = (json: ProviderStateJson, config: ProviderConfig): ProviderState => {
  const quotas = new Map<string, Map<string, Limiter[]>>();
  for (const list of json.limiters) {
    if (list.length === 0) continue;
    const { tenant, model } = list[0];
    const limiters = list.map((l): Limiter => {
      const spec: QuotaSpec = { ...l.spec, limit: dec(l.spec.limit) };
      return { spec: config.quotas.find((q) => sameSpec(q, spec)) ?? spec, state: limiterStateFromJson(l.state) };
    });
    let byModel = quotas.get(tenant);
    if (byModel === undefined) quotas.set(tenant, (byModel = new Map()));
    byModel.set(model, limiters);
  }
  return {
    config,
    nodes: json.nodes.map((n) => ({
      cache: restoreCacheNode({ capacityTokens: n.capacityTokens, usedTokens: n.usedTokens, evictions: n.evictions }, n.entries.map(entryFromJson)),
      slots: { freeAtMs: Float64Array.from(n.slotsFreeAtMs) },
      drained: n.drained,
    })),
    liveNodes: [...json.liveNodes],
    router: {
      lastSweepMs: dec(json.router.lastSweepMs),
      rates: new Map(json.router.rates.map(([slot, windowStartMs, count, previousCount]) => [slot, { windowStartMs, count, previousCount }])),
    },
    quotas,
    salts: new Map(),
    lastSweepMs: dec(json.lastSweepMs),
    lastFullSweepMs: dec(json.lastFullSweepMs),
    models: createModelMemo(),
  };
};
