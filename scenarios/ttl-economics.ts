// When does caching pay? (../shared/research/provider-facts.md §1.8: a 5-minute write costs 1.25×
// the input price, a 1-hour write 2×, a read 0.1×.) One 20,000-token prefix per request interval,
// from every minute to every 90 minutes, under three strategies. A 5-minute write pays for itself
// with one read inside its TTL (1.25 + 0.1 < 2), a 1-hour write with two (2 + 0.2 < 3, but
// 2 + 0.1 > 2); past its TTL every request writes again and caching costs more than not caching.

import { MINUTE_MS } from './kit/durations.ts';
import { defineScenario, type Executor, type Expectation, type RequestBuilder } from './kit/format.ts';
import { count, inputCostUsd, ofSession, ratio, scaled, type MeasureFactory } from './kit/measures.ts';
import { segment } from './kit/prompt.ts';
import { anthropicModels } from '../core/model/profiles/anthropic.ts';
import type { CacheTtl } from '../core/model/types.ts';

const MODEL = 'claude-sonnet-4-5-20250929';
const PRICES = anthropicModels[MODEL].prices;
const PREFIX_TOKENS = 20_000;
const QUESTION_TOKENS = 50;
const RUN_MS = 12 * 3_600_000;

/** Steady traffic: one request every `minutes`, each group on its own prefix. */
export const INTERVALS_MIN = [1, 4, 6, 15, 30, 55, 65, 90] as const;
/** Bursts: `size` requests 2 minutes apart on a fresh prefix, every 3 hours. */
export const BURSTS = [2, 3] as const;
const BURST_EVERY_MS = 3 * 3_600_000;
const BURST_SPACING_MS = 2 * MINUTE_MS;

type Strategy = CacheTtl | 'none';

const ask = (strategy: Strategy, group: string, prefixVersion: number | string, i: number) => ({
  tenant: 'acme',
  session: group,
  model: MODEL,
  segments: [
    strategy === 'none'
      ? segment(`ttl:${group}:prefix:${prefixVersion}`, PREFIX_TOKENS)
      : segment(`ttl:${group}:prefix:${prefixVersion}`, PREFIX_TOKENS, strategy),
    segment(`ttl:${group}:question:${i}`, QUESTION_TOKENS),
  ],
  outputTokens: 100,
});

const steady = (strategy: Strategy, minutes: number): RequestBuilder => (i) => ask(strategy, `every-${minutes}m`, 'shared', i);

/** Iteration i is slot i of a 2-minute grid; the first `size` slots of every 3 hours send. */
const burst = (strategy: Strategy, size: number): RequestBuilder => (i) => {
  const perCycle = BURST_EVERY_MS / BURST_SPACING_MS;
  const cycle = Math.floor(i / perCycle);
  return i % perCycle < size ? ask(strategy, `burst-of-${size}`, cycle, i) : null;
};

/** Input dollars per request of one group ÷ what its prompt costs uncached (1 = no saving). */
export const relativeInputCost = (group: string): MeasureFactory =>
  scaled(1e6 / ((PREFIX_TOKENS + QUESTION_TOKENS) * PRICES.input), ratio(inputCostUsd(PRICES, ofSession(group)), count(ofSession(group))));

const bound = (group: string, op: Expectation['op'], value: number, why: string): Expectation => ({
  name: `${group}-relative-input-cost`,
  description: `${group}: input dollars per request ÷ the uncached price (${why})`,
  measure: relativeInputCost(group),
  op,
  value,
});

const expectationsFor = (strategy: Strategy): Expectation[] => {
  switch (strategy) {
    case '5m':
      return [
        bound('every-4m', '<=', 0.15, 'inside the TTL: reads at 0.1×'),
        bound('every-6m', '>=', 1.2, 'past the TTL: a 1.25× write every request, dearer than no cache'),
        bound('burst-of-2', '<=', 0.7, 'one read pays for the write: (1.25 + 0.1) / 2'),
      ];
    case '1h':
      return [
        bound('every-55m', '<=', 0.3, 'inside the TTL: one 2× write, then reads'),
        bound('every-65m', '>=', 1.9, 'past the TTL: a 2× write every request'),
        bound('burst-of-2', '>=', 1, 'one read does not pay: (2 + 0.1) / 2'),
        bound('burst-of-3', '<=', 0.75, 'two reads do: (2 + 0.2) / 3'),
      ];
    case 'none':
      return [bound('every-1m', '>=', 0.999, 'every token at the input price'), bound('every-90m', '<=', 1.001, 'every token at the input price')];
  }
};

export default defineScenario({
  name: 'ttl-economics',
  description:
    'One 20,000-token prefix per request interval (every 1 to 90 minutes, plus bursts of 2 and 3 requests) under the 5-minute TTL, the 1-hour TTL (2× write) and no caching: the 5-minute TTL wins below 5 minutes, the 1-hour TTL from 5 to 60, no caching beyond an hour, and a burst needs one read to repay a 5-minute write but two to repay a 1-hour write. ' +
    'Look at input cost per request by group (session) across the three variants: where each line is lowest is where that strategy wins.',
  startAt: '2026-06-01T00:00:00Z',
  variants: {
    'ttl-5m': 'cache_control with the default 5-minute TTL (1.25× write)',
    'ttl-1h': 'cache_control with the 1-hour TTL (2× write)',
    'no-cache': 'no cache_control: every token at the input price',
  },
  setup: (variant) => {
    const strategy: Strategy = variant === 'ttl-5m' ? '5m' : variant === 'ttl-1h' ? '1h' : 'none';
    const traffic: Record<string, Executor> = {};
    for (const minutes of INTERVALS_MIN) {
      traffic[`every-${minutes}m`] = { executor: 'constant-arrival-rate', rate: 1, timeUnit: minutes * MINUTE_MS, duration: RUN_MS, build: steady(strategy, minutes) };
    }
    for (const size of BURSTS) {
      traffic[`burst-of-${size}`] = { executor: 'constant-arrival-rate', rate: 1, timeUnit: BURST_SPACING_MS, duration: RUN_MS, build: burst(strategy, size) };
    }
    return { provider: { profile: 'anthropic' }, traffic, expectations: expectationsFor(strategy) };
  },
});
