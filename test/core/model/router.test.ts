// Advisory affinity routing (provider-facts §2.1): home by key, overflow above ~15 rpm per
// prefix+key, overflow when home has no free slot.

import { describe, expect, it } from 'vitest';
import { createRouter, route, sweepRouter, type Route } from '../../../core/model/router.ts';
import { openaiConfig, rngFor } from './helpers.ts';

const config = openaiConfig({ nodes: { count: 4 } });
const ALL = [0, 1, 2, 3];
/** The four nodes, each saturated (its one slot busy for ever) when `busy(node)`. */
const nodesWhere = (busy: (node: number) => boolean) => ALL.map((n) => ({ slots: { freeAtMs: Float64Array.of(busy(n) ? Number.POSITIVE_INFINITY : 0) } }));
const idle = nodesWhere(() => false);
const allBusy = nodesWhere(() => true);

describe('router', () => {
  it('sends a key home to node key mod node count', () => {
    // 4,242 mod 4 = 2; 4,241 mod 4 = 1.
    expect([route(config, createRouter(), 4_242, ALL, idle, 0, rngFor()), route(config, createRouter(), 4_241, ALL, idle, 0, rngFor())]).toEqual([
      { node: 2, affinity: 'home' },
      { node: 1, affinity: 'home' },
    ]);
  });

  it('moves only the drained node’s keys, spreading them over the live nodes', () => {
    const live = [0, 1, 3];
    // 4,241 stays on node 1. 4,242's node 2 is gone: live[4,242 mod 3 = 0] = node 0.
    expect([route(config, createRouter(), 4_241, live, idle, 0, rngFor()), route(config, createRouter(), 4_242, live, idle, 0, rngFor())]).toEqual([
      { node: 1, affinity: 'home' },
      { node: 0, affinity: 'home' },
    ]);
  });

  it('routes everything home when one node is left', () => {
    expect(route(config, createRouter(), 4_242, [3], allBusy, 0, rngFor())).toEqual({ node: 3, affinity: 'home' });
  });

  it('overflows the 16th request of a minute for one key to another node', () => {
    const router = createRouter();
    const rng = rngFor();
    const routes: Route[] = Array.from({ length: 16 }, (_, i) => route(config, router, 4_242, ALL, idle, i * 1_000, rng));
    expect(routes.slice(0, 15).every((r) => r.node === 2 && r.affinity === 'home')).toBe(true);
    expect(routes[15].affinity).toBe('overflow');
    expect(routes[15].node).not.toBe(2);
  });

  it('keeps other keys home while one key overflows', () => {
    const router = createRouter();
    const rng = rngFor();
    for (let i = 0; i < 20; i++) route(config, router, 4_242, ALL, idle, i * 1_000, rng);
    expect(route(config, router, 4_241, ALL, idle, 20_000, rng)).toEqual({ node: 1, affinity: 'home' });
  });

  it('weighs the previous minute by how much of it is still inside the sliding minute', () => {
    const overflowsAt = (atMs: number): string => {
      const router = createRouter();
      const rng = rngFor();
      for (let i = 0; i < 15; i++) route(config, router, 4_242, ALL, idle, i * 1_000, rng);
      return route(config, router, 4_242, ALL, idle, atMs, rng).affinity;
    };
    // At 60,000: 1 + 15 × 1.0 = 16 > 15. At 90,000: 1 + 15 × 0.5 = 8.5. At 120,000: the 15 are two windows old: 1.
    expect([overflowsAt(60_000), overflowsAt(90_000), overflowsAt(120_000)]).toEqual(['overflow', 'home', 'home']);
  });

  it('overflows to a free node when home is saturated', () => {
    const saturated = nodesWhere((node) => node !== 3);
    expect(route(config, createRouter(), 4_242, ALL, saturated, 0, rngFor())).toEqual({ node: 3, affinity: 'overflow' });
  });

  it('stays home and queues when every node is saturated', () => {
    expect(route(config, createRouter(), 4_242, ALL, allBusy, 0, rngFor())).toEqual({ node: 2, affinity: 'home' });
  });

  it('stays home when saturated if the profile does not overflow on saturation', () => {
    const sticky = openaiConfig({ nodes: { count: 4 }, routing: { overflowWhenSaturated: false } });
    expect(route(sticky, createRouter(), 4_242, ALL, nodesWhere((n) => n === 2), 0, rngFor())).toEqual({ node: 2, affinity: 'home' });
  });

  it('picks nodes from the rng under the random policy, the same ones for the same seed', () => {
    const random = openaiConfig({ nodes: { count: 4 }, routing: { policy: 'random' } });
    const draw = (): number[] => {
      const rng = rngFor('routing');
      const router = createRouter();
      return Array.from({ length: 8 }, () => route(random, router, 4_242, ALL, idle, 0, rng).node);
    };
    const first = draw();
    expect(draw()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(route(random, createRouter(), 4_242, ALL, idle, 0, rngFor()).affinity).toBe('random');
  });

  it('forgets keys idle for two minutes', () => {
    const router = createRouter();
    route(config, router, 4_242, ALL, idle, 0, rngFor());
    route(config, router, 4_243, ALL, idle, 60_000, rngFor());
    sweepRouter(router, 120_000);
    expect([...router.rates.keys()]).toEqual([4_243]);
  });

  it('keeps no rate counters when no per-key rate overflows (Anthropic)', () => {
    const router = createRouter();
    const unlimited = openaiConfig({ nodes: { count: 4 }, routing: { overflowPerMinute: Number.POSITIVE_INFINITY } });
    const affinities = Array.from({ length: 30 }, (_, i) => route(unlimited, router, 4_242, ALL, idle, i * 1_000, rngFor()).affinity);
    expect([new Set(affinities), router.rates.size]).toEqual([new Set(['home']), 0]);
  });
});
