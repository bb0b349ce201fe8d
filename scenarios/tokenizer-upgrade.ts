// The tokenizer upgrade (../shared/seeds, "The Tokenizer Upgrade That Invalidated Every Prompt
// Cache Prefix"): the provider ships a new tokenizer for the same model name; the same bytes are
// now a different token sequence, so every cached prefix key is new. Nothing in your code changed.
//
// Traffic: 6,000 customers, each with its own 4,000-token system prompt, each asking about 2.25
// times a day (a mild Zipf head), cached with OpenAI's 24-hour extended retention. A prefix seen
// within the last day is a hit: about 80 % of input tokens. After the upgrade every customer's
// next request misses, so the hit rate starts near zero and the day re-warms as customers return.

import { HOUR_MS, DAY_MS } from './kit/durations.ts';
import { defineScenario, type Expectation, type RequestBuilder } from './kit/format.ts';
import { costRateRatio, hitRate, between } from './kit/measures.ts';
import { segment, uniformInt, zipf } from './kit/prompt.ts';

const RETENTION = '24h' as const;
const MODEL = 'gpt-5-2025-08-07';
const CUSTOMERS = 6_000;
const SYSTEM_TOKENS = 4_000;
const REQUESTS_PER_DAY = 13_500;
const UPGRADE_AT_MS = 2 * DAY_MS; // Saturday 00:00 UTC; day 0 only warms the cache
const END_MS = 3 * DAY_MS;

const customerOf = zipf(CUSTOMERS, 0.4);

const ask: RequestBuilder = (i, _tMs, rng) => {
  const customer = customerOf(rng);
  return {
    tenant: 'acme',
    session: `customer-${customer}`,
    model: MODEL,
    segments: [segment(`tokenizer:customer:${customer}:system`, SYSTEM_TOKENS), segment(`tokenizer:ask:${i}`, uniformInt(rng, 100, 500))],
    outputTokens: uniformInt(rng, 10, 60),
    retention: RETENTION,
  };
};

const BEFORE = [DAY_MS, UPGRADE_AT_MS] as const;
const FIRST_HOUR = [UPGRADE_AT_MS, UPGRADE_AT_MS + HOUR_MS] as const;
const RECOVERED = [UPGRADE_AT_MS + 18 * HOUR_MS, END_MS] as const;

const hitRateIn = (name: string, window: readonly [number, number], op: Expectation['op'], value: number, what: string): Expectation => ({
  name,
  description: `token-weighted hit rate ${what}`,
  measure: hitRate(between(window[0], window[1])),
  op,
  value,
});

const expectations = {
  warmBefore: hitRateIn('hit-rate-day-before', BEFORE, '>=', 0.75, 'over the day before the upgrade'),
  collapse: hitRateIn('hit-rate-first-hour-after', FIRST_HOUR, '<=', 0.1, 'in the hour after the upgrade'),
  noCollapse: hitRateIn('hit-rate-first-hour-after', FIRST_HOUR, '>=', 0.75, 'in the same hour without an upgrade'),
  spendJump: {
    name: 'cost-rate-first-hour-vs-day-before',
    description: 'dollars per hour in the hour after the upgrade ÷ dollars per hour the day before',
    measure: costRateRatio(FIRST_HOUR, BEFORE),
    op: '>=',
    value: 2.8,
  },
  flatSpend: {
    name: 'cost-rate-first-hour-vs-day-before',
    description: 'dollars per hour in the same hour ÷ dollars per hour the day before',
    measure: costRateRatio(FIRST_HOUR, BEFORE),
    op: '<=',
    value: 1.2,
  },
  recovered: hitRateIn('hit-rate-18-24h-after', RECOVERED, '>=', 0.7, '18 to 24 hours after the upgrade (re-warmed)'),
} satisfies Record<string, Expectation>;

export default defineScenario({
  name: 'tokenizer-upgrade',
  description:
    'The provider ships a new tokenizer for the same model name at Saturday 00:00: the same prompt bytes become new token sequences, so all 6,000 customer prefixes (4k tokens, 24 h retention) go cold at once; the hit rate falls from about 81 % to about 5 % and the spend rate triples for the first hour, then creeps back over the day as each customer returns. ' +
    'Look at the hit-rate cliff at the upgrade marker and the cost-per-hour curve decaying back over the next 24 hours (compare with no-upgrade).',
  startAt: '2026-03-05T00:00:00Z',
  variants: {
    baseline: 'the tokenizer changes at Saturday 00:00; nothing on the client side reacts',
    'no-upgrade': 'the same four days without the upgrade: what the weekend should have cost',
  },
  setup: (variant) => ({
    provider: { profile: 'openai' },
    traffic: {
      customers: { executor: 'constant-arrival-rate', rate: REQUESTS_PER_DAY, timeUnit: '1d', duration: END_MS, build: ask },
    },
    events: variant === 'no-upgrade' ? [] : [{ at: UPGRADE_AT_MS, event: { kind: 'tokenizer-upgrade', model: MODEL } }],
    phases: [{ at: DAY_MS, label: 'steady state (day 0 warmed the cache)' }],
    expectations:
      variant === 'no-upgrade'
        ? [expectations.warmBefore, expectations.noCollapse, expectations.flatSpend, expectations.recovered]
        : [expectations.warmBefore, expectations.collapse, expectations.spendJump, expectations.recovered],
  }),
});
