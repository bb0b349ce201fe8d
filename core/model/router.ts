// Advisory affinity: a request's home node is a hash of its first tokens and prompt_cache_key, but
// above a per-key request rate, or when home has no free slot, it overflows to another node, where
// its prefix is cold (provider-facts §2.1: "Each new machine is a one-time cache miss").

import type { Affinity } from './types.ts';
import type { ProviderConfig } from './config.ts';
import type { Rng } from './rng.ts';
import { slotOf } from './cache-node.ts';
import { isSaturated, type NodeSlots } from './latency.ts';

const RATE_WINDOW_MS = 60_000;

/** Requests per minute for one routing key, as a sliding-window counter (two fixed windows). */
interface RateCounter {
  windowStartMs: number;
  count: number;
  previousCount: number;
}

export interface RouterState {
  rates: Map<number, RateCounter>;
  lastSweepMs: number;
}

export const createRouter = (): RouterState => ({ rates: new Map(), lastSweepMs: 0 });

/** Counts this request and returns the key's rate over the last minute, this request included. */
const countRequest = (router: RouterState, routingKey: number, nowMs: number): number => {
  // Counters by slot: two keys sharing one (about 1 in 10^9) would pool their rates, harmlessly.
  const key = slotOf(routingKey);
  const windowStartMs = Math.floor(nowMs / RATE_WINDOW_MS) * RATE_WINDOW_MS;
  let counter = router.rates.get(key);
  if (counter === undefined) {
    counter = { windowStartMs, count: 0, previousCount: 0 };
    router.rates.set(key, counter);
  } else if (counter.windowStartMs !== windowStartMs) {
    counter.previousCount = windowStartMs - counter.windowStartMs === RATE_WINDOW_MS ? counter.count : 0;
    counter.count = 0;
    counter.windowStartMs = windowStartMs;
  }
  counter.count++;
  const previousWeight = 1 - (nowMs - windowStartMs) / RATE_WINDOW_MS;
  return counter.count + counter.previousCount * previousWeight;
};

/** Forgets keys idle for two windows, so unique prompts do not grow the map without bound. */
export const sweepRouter = (router: RouterState, nowMs: number): void => {
  if (nowMs - router.lastSweepMs < RATE_WINDOW_MS) return;
  router.lastSweepMs = nowMs;
  for (const [key, counter] of router.rates) {
    if (nowMs - counter.windowStartMs >= 2 * RATE_WINDOW_MS) router.rates.delete(key);
  }
};

export interface Route {
  readonly node: number;
  readonly affinity: Affinity;
}

// A route is a (node, affinity) pair read at once and never changed: one shared object per pair
// instead of one per request.
const ROUTES: Record<Affinity, Route[]> = { home: [], overflow: [], random: [], none: [] };

const routeTo = (node: number, affinity: Affinity): Route => {
  const byNode = ROUTES[affinity];
  return byNode[node] ?? (byNode[node] = Object.freeze({ node, affinity }));
};

/** A node other than `avoid`, uniformly among the live ones; `avoid` itself when it is the only one. */
const otherNode = (live: number[], avoid: number, rng: Rng): number => {
  const others = live.filter((n) => n !== avoid);
  return others.length === 0 ? avoid : others[Math.floor(rng() * others.length)];
};

export const route = (
  config: ProviderConfig,
  router: RouterState,
  routingKey: number,
  liveNodes: number[],
  nodes: ReadonlyArray<{ slots: NodeSlots }>,
  nowMs: number,
  rng: Rng,
): Route => {
  if (config.routing.policy === 'random' || liveNodes.length === 1) {
    return routeTo(liveNodes[Math.floor(rng() * liveNodes.length)], liveNodes.length === 1 ? 'home' : 'random');
  }
  // Home is fixed by the whole pool, so a drained node moves only its own keys; they spread over the
  // live nodes. (Hashing over the live list alone would re-home most keys on every drain.)
  const preferred = routingKey % config.nodes.count;
  const home = liveNodes.includes(preferred) ? preferred : liveNodes[routingKey % liveNodes.length];
  // With no per-key limit (Anthropic documents none: overflowPerMinute is Infinity, and no event
  // changes routing) no rate can exceed it, so nothing is counted: a counter per prefix and
  // tenant, created and swept, was a tenth of the reference workload's time.
  const limit = config.routing.overflowPerMinute;
  if (limit !== Number.POSITIVE_INFINITY && countRequest(router, routingKey, nowMs) > limit) {
    return routeTo(otherNode(liveNodes, home, rng), 'overflow');
  }
  // The nodes themselves rather than a predicate: a closure over the provider's nodes was made per request.
  if (config.routing.overflowWhenSaturated && isSaturated(nodes[home].slots, nowMs)) {
    const free = liveNodes.filter((n) => n !== home && !isSaturated(nodes[n].slots, nowMs));
    if (free.length > 0) return routeTo(free[Math.floor(rng() * free.length)], 'overflow');
  }
  return routeTo(home, 'home');
};
