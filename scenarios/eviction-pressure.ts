// Eviction pressure (../shared/seeds, "The KV Cache Eviction Your Provider Called Cache Pressure and
// Your Bill Called a Doubled Prefix Charge"): a conversation with a 40,000-token system prompt
// and tool inventory sends a turn every 90 s. It shares a serving node with other tenants; their
// traffic writes more than the node holds between two of your turns, so least-recently-used
// eviction removes your prefix and the next turn pays the write again. No TTL choice prevents it:
// the entry is removed, not expired.

import { defineScenario, type Executor, type Expectation, type RequestBuilder } from './kit/format.ts';
import { both, count, hitRate, ofTenant, ok, ratio, sum } from './kit/measures.ts';
import { segment, uniformInt } from './kit/prompt.ts';
import type { CacheTtl } from '../core/model/types.ts';

const MODEL = 'claude-sonnet-4-5-20250929';
const NODE_CAPACITY_TOKENS = 2_000_000; // the KV-cache share of one serving node
const TURN_EVERY_MS = 90_000;
const TURNS_PER_CONVERSATION = 20;
const NEIGHBOURS = 20;
const NEIGHBOUR_PROMPT_TOKENS = 10_000;
const RUN = '3h';

const turn = (prefixTokens: number, ttl: CacheTtl): RequestBuilder => (i, _tMs, rng) => ({
  tenant: 'acme',
  session: `conversation-${Math.floor(i / TURNS_PER_CONVERSATION)}`,
  class: 'interactive',
  model: MODEL,
  segments: [segment(`eviction:system-and-tools:${prefixTokens}`, prefixTokens, ttl), segment(`eviction:turn:${i}`, uniformInt(rng, 200, 600))],
  outputTokens: uniformInt(rng, 200, 600),
});

/** Other tenants' documents: each one new, each cached, together filling the node. */
const neighbour: RequestBuilder = (i, _tMs, rng) => ({
  tenant: `neighbour-${i % NEIGHBOURS}`,
  session: '',
  class: 'neighbour',
  model: MODEL,
  segments: [segment(`eviction:neighbour-document:${i}`, NEIGHBOUR_PROMPT_TOKENS, '5m'), segment(`eviction:neighbour-ask:${i}`, 100)],
  outputTokens: uniformInt(rng, 50, 250),
});

const ours = ofTenant('acme');
const costPerTurn = ratio(sum('costUsd', ours), count(both(ours, ok)));

const expect = {
  evicted: { name: 'prefix-hit-rate', description: 'hit rate of the conversation\u2019s turns', measure: hitRate(ours), op: '<=', value: 0.1 },
  kept: { name: 'prefix-hit-rate', description: 'hit rate of the conversation\u2019s turns', measure: hitRate(ours), op: '>=', value: 0.9 },
  turnCost: (op: Expectation['op'], value: number, what: string): Expectation => ({
    name: 'cost-per-turn-usd',
    description: `dollars per conversation turn (${what})`,
    measure: costPerTurn,
    op,
    value,
  }),
} as const;

const variants = {
  'busy-neighbours': 'neighbours write 4.5 M tokens per 90 s into a 2 M-token node: the prefix is evicted between turns',
  'quiet-neighbours': 'neighbours write a tenth as much: the prefix survives every turn',
  'ttl-1h': 'the busy node, with the prefix cached for 1 hour (2× write): eviction ignores TTL',
  'smaller-prefix': 'the busy node, with the system prompt and tools trimmed to 10,000 tokens',
  'dedicated-capacity': 'the conversation on capacity of its own (no neighbours on the node)',
};

export default defineScenario({
  name: 'eviction-pressure',
  description:
    'A conversation with a 40,000-token system prompt sends a turn every 90 s on a serving node shared with other tenants, whose new documents fill the node\u2019s 2 M-token cache between two turns; LRU eviction removes the prefix and every turn pays the 40k write again: hit rate near 0 and about 8× the cost per turn of a quiet node, and a 1-hour TTL only makes each re-write dearer. ' +
    'Look at the conversation\u2019s hit rate (class interactive) against the neighbours\u2019 write volume, and at cost per turn across the variants.',
  startAt: '2026-05-12T13:00:00Z',
  variants,
  setup: (variant) => {
    const prefixTokens = variant === 'smaller-prefix' ? 10_000 : 40_000;
    const ttl: CacheTtl = variant === 'ttl-1h' ? '1h' : '5m';
    const neighboursPerSec = variant === 'quiet-neighbours' ? 0.5 : 5;
    const traffic: Record<string, Executor> = {
      conversation: { executor: 'constant-arrival-rate', rate: 1, timeUnit: TURN_EVERY_MS, duration: RUN, build: turn(prefixTokens, ttl) },
    };
    if (variant !== 'dedicated-capacity') {
      traffic.neighbours = { executor: 'constant-arrival-rate', rate: neighboursPerSec, timeUnit: '1s', duration: RUN, build: neighbour };
    }
    const expectations: Expectation[] = [];
    switch (variant) {
      case 'busy-neighbours':
        expectations.push(expect.evicted, expect.turnCost('>=', 0.15, 'the 40k prefix written every turn: ≥ $0.15'));
        break;
      case 'quiet-neighbours':
      case 'dedicated-capacity':
        expectations.push(expect.kept, expect.turnCost('<=', 0.03, 'the 40k prefix read every turn: ≤ $0.03'));
        break;
      case 'ttl-1h':
        expectations.push(expect.evicted, expect.turnCost('>=', 0.24, 'the 40k prefix written at the 1-hour price every turn: ≥ $0.24'));
        break;
      case 'smaller-prefix':
        expectations.push(expect.evicted, expect.turnCost('<=', 0.06, 'a 10k prefix written every turn: ≤ $0.06'));
        break;
    }
    return {
      provider: { profile: 'anthropic', overrides: { nodes: { count: 1, capacityTokens: NODE_CAPACITY_TOKENS } } },
      traffic,
      expectations,
    };
  },
});
