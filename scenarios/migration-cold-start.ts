// The model migration that broke the prompt cache (../shared/seeds, "The Model Migration That
// Broke Your Prompt Cache Without Warning"): the prefix is byte-identical, but the cache key
// includes the model version (provider-facts §4), so at cut-over every prefix is cold. With a
// 50,000-token prefix at 90–95 % hits, input cost per request is 0.15–0.19× the list price
// (misses write at 2×, hits read at 0.1×); a cold request writes it at 2×: ten times as much. The cache
// re-warms in order of popularity: the head within minutes, the tail as each customer returns.
// With a TTL cache the cliff is tall and short; what makes a migration expensive is a slow ramp,
// whose thin steps keep both versions' caches expiring for hours.

import { MINUTE_MS, HOUR_MS } from './kit/durations.ts';
import { defineScenario, type Executor, type Expectation, type RequestBuilder } from './kit/format.ts';
import { between, both, costRateRatio, hitRate, inputCostUsd, ofModel, ofClass, ok, percentile, ratio, scaled, type MeasureFactory } from './kit/measures.ts';
import { anthropicModels } from '../core/model/profiles/anthropic.ts';
import { segment, uniformInt, zipf } from './kit/prompt.ts';

const OLD = 'claude-sonnet-4-5-20250929';
const NEW = 'claude-sonnet-4-6';
const ALIAS = 'claude-sonnet-latest';
const PREFIXES = 500;
const PREFIX_TOKENS = 50_000;
const REQUESTS_PER_HOUR = 2_000;
const CUTOVER_MS = 6 * HOUR_MS;
const ROLLBACK_MS = 12 * HOUR_MS;
const END_MS = 30 * HOUR_MS;
const PREFILL_TOP = 300;

const CLIFF_MS = 5 * MINUTE_MS;
const popularity = zipf(PREFIXES, 0.5);

/** Share of requests on the new version at scenario time t (0 before, 1 after). */
type Schedule = (tMs: number) => number;
const step = (points: ReadonlyArray<readonly [number, number]>): Schedule => (tMs) => {
  let share = 0;
  for (const [atMs, s] of points) if (tMs >= atMs) share = s;
  return share;
};
const RAMP = [0.01, 0.1, 0.5, 1] as const;
const SCHEDULES = {
  cutover: step([[CUTOVER_MS, 1]]),
  rollback: step([
    [CUTOVER_MS, 1],
    [ROLLBACK_MS, 0],
  ]),
  slowRamp: step(RAMP.map((s, i) => [CUTOVER_MS + i * 6 * HOUR_MS, s] as const)),
  fastRamp: step(RAMP.map((s, i) => [CUTOVER_MS + i * 5 * MINUTE_MS, s] as const)),
  never: () => 0,
} satisfies Record<string, Schedule>;

const ask = (prefix: number, model: string, i: number, outputTokens: number, cls = 'interactive') => ({
  tenant: 'acme',
  session: `customer-${prefix}`,
  class: cls,
  model,
  segments: [segment(`migration:customer:${prefix}:context`, PREFIX_TOKENS, '1h'), segment(`migration:ask:${cls}:${i}`, 300)],
  outputTokens,
  ...(cls === 'warmup' ? { maxTokens: 0 } : {}),
});

const traffic = (schedule: Schedule, model: (onNew: boolean) => string): RequestBuilder => (i, tMs, rng) =>
  ask(popularity(rng), model(rng() < schedule(tMs)), i, uniformInt(rng, 100, 500));

/** `max_tokens: 0` requests that write the top prefixes on a version, `rate` per 10 minutes. */
const warmer = (model: string, startMs: number, durationMs: number, every: number): Executor => ({
  executor: 'constant-arrival-rate',
  rate: PREFILL_TOP,
  timeUnit: every,
  duration: durationMs,
  startTime: startMs,
  build: (i) => ask(i % PREFILL_TOP, model, i, 0, 'warmup'),
});

const window = (from: number, to: number) => [from, to] as const;
const STEADY = window(3 * HOUR_MS, CUTOVER_MS);
const interactive = ofClass('interactive');

/** Input dollars per hour in [from, from + CLIFF_MS) ÷ input dollars per hour before cut-over. */
const inputCliff = (from: number): MeasureFactory =>
  scaled(
    (STEADY[1] - STEADY[0]) / CLIFF_MS,
    ratio(inputCostUsd(anthropicModels[NEW].prices, both(interactive, between(from, from + CLIFF_MS))), inputCostUsd(anthropicModels[OLD].prices, both(interactive, between(...STEADY)))),
  );

const e = {
  warmBefore: { name: 'hit-rate-before', description: 'hit rate of the three hours before cut-over', measure: hitRate(both(interactive, between(...STEADY))), op: '>=', value: 0.85 },
  cliff: (value: number, from = CUTOVER_MS): Expectation => ({
    name: 'input-cost-rate-first-5m-vs-before',
    description: 'input dollars per hour in the five minutes after the switch ÷ input dollars per hour before cut-over',
    measure: inputCliff(from),
    op: '>=',
    value,
  }),
  noCliff: (value: number, from = CUTOVER_MS): Expectation => ({
    name: 'input-cost-rate-first-5m-vs-before',
    description: 'input dollars per hour in the five minutes after the switch ÷ input dollars per hour before cut-over',
    measure: inputCliff(from),
    op: '<=',
    value,
  }),
  premium: (op: Expectation['op'], value: number, hours: number): Expectation => ({
    name: `cost-rate-${hours}h-after-vs-before`,
    description: `dollars per hour in the ${hours} hours from cut-over ÷ dollars per hour before`,
    measure: costRateRatio(window(CUTOVER_MS, CUTOVER_MS + hours * HOUR_MS), STEADY, interactive),
    op,
    value,
  }),
  ttft: (op: Expectation['op'], value: number): Expectation => ({
    name: 'p50-ttft-first-10m-ms',
    description: 'median time to first token in the ten minutes after cut-over (a cold 50k prefix prefills for ~6 s)',
    measure: percentile('ttftMs', 50, both(ok, interactive, between(CUTOVER_MS, CUTOVER_MS + 10 * MINUTE_MS))),
    op,
    value,
  }),
  recovered: {
    name: 'hit-rate-last-6h',
    description: 'hit rate in the last six hours: re-warmed',
    measure: hitRate(both(interactive, between(END_MS - 6 * HOUR_MS, END_MS))),
    op: '>=',
    value: 0.85,
  },
  newVersionHitRateDuringRamp: (op: Expectation['op'], value: number): Expectation => ({
    name: 'new-version-hit-rate-1-and-10-percent',
    description: 'hit rate of the new version\u2019s requests during the 1 % and 10 % steps',
    measure: hitRate(both(ofModel(NEW), between(CUTOVER_MS, CUTOVER_MS + 12 * HOUR_MS))),
    op,
    value,
  }),
} satisfies Record<string, Expectation | ((...args: never[]) => Expectation)>;

const variants = {
  'cold-cutover': 'every request moves to the new version at 06:00',
  'prefill-top-n': 'the 300 most popular prefixes are written on the new version in the 10 minutes before cut-over',
  'slow-ramp': '1 → 10 → 50 → 100 % of requests, six hours per step, without prefill',
  'fast-ramp': '1 → 10 → 50 → 100 %, five minutes per step',
  'rollback-cold': 'cut-over at 06:00, rollback to the old version at 12:00: a second cold start',
  'parallel-run': 'as rollback-cold, but a warmer keeps the old version\u2019s top 300 prefixes warm until the rollback',
  'floating-alias': 'requests name claude-sonnet-latest; the provider re-points it at 06:00 (no deploy of yours)',
  'pinned-version': 'requests name the dated version; the provider\u2019s re-point does not touch them',
};

export default defineScenario({
  name: 'migration-cold-start',
  description:
    'The request\u2019s model version changes at 06:00 and all 500 customer prefixes of 50,000 tokens (Zipf popularity, 1-hour TTL, about 95 % hits) are cold on the new version: input spend runs about 9× for five minutes and median TTFT goes from 1.5 s to 6 s, the head re-warms in minutes and the tail over hours; a slow 1 → 10 → 50 → 100 % ramp splits each prefix\u2019s traffic too thin to stay inside the TTL and pays about six times the cut-over\u2019s extra spend, a prefill of the top 300 removes the cliff and the slow first tokens (not the dollars), and a floating alias re-pointed by the provider is the same cliff with no deploy of yours. ' +
    'Look at cost per hour, hit rate and TTFT around the 06:00 marker (and 12:00 for the rollback pair), and at each variant\u2019s total against pinned-version, which never migrates.',
  startAt: '2026-02-05T00:00:00Z',
  variants,
  setup: (variant) => {
    const version = (onNew: boolean) => (onNew ? NEW : OLD);
    const t: Record<string, Executor> = {};
    const main = (schedule: Schedule, model: (onNew: boolean) => string = version): Executor => ({
      executor: 'constant-arrival-rate',
      rate: REQUESTS_PER_HOUR,
      timeUnit: '1h',
      duration: END_MS,
      build: traffic(schedule, model),
    });
    const events: Array<{ at: number; event: { kind: 'alias-repoint'; alias: string; model: string } }> = [];
    const phases: Array<{ at: number; label: string }> = [];
    const expectations: Expectation[] = [e.warmBefore];
    switch (variant) {
      case 'cold-cutover':
        t.requests = main(SCHEDULES.cutover);
        phases.push({ at: CUTOVER_MS, label: 'cut-over to the new version' });
        expectations.push(e.cliff(6), e.premium('>=', 1.1, 2), e.ttft('>=', 4_000), e.recovered);
        break;
      case 'prefill-top-n':
        t.requests = main(SCHEDULES.cutover);
        t.prefill = warmer(NEW, CUTOVER_MS - 10 * MINUTE_MS, 10 * MINUTE_MS, 10 * MINUTE_MS);
        phases.push({ at: CUTOVER_MS - 10 * MINUTE_MS, label: 'prefill the top 300 prefixes' }, { at: CUTOVER_MS, label: 'cut-over to the new version' });
        expectations.push(e.noCliff(4), e.ttft('<=', 2_500), e.recovered);
        break;
      case 'slow-ramp':
        t.requests = main(SCHEDULES.slowRamp);
        RAMP.forEach((s, i) => phases.push({ at: CUTOVER_MS + i * 6 * HOUR_MS, label: `${s * 100} % on the new version` }));
        expectations.push(e.newVersionHitRateDuringRamp('<=', 0.6), e.premium('>=', 1.08, 18), e.recovered);
        break;
      case 'fast-ramp':
        t.requests = main(SCHEDULES.fastRamp);
        RAMP.forEach((s, i) => phases.push({ at: CUTOVER_MS + i * 5 * MINUTE_MS, label: `${s * 100} % on the new version` }));
        expectations.push(e.premium('>=', 1.1, 2), e.recovered);
        break;
      case 'rollback-cold':
      case 'parallel-run':
        t.requests = main(SCHEDULES.rollback);
        if (variant === 'parallel-run') t.keepWarm = warmer(OLD, CUTOVER_MS, ROLLBACK_MS - CUTOVER_MS, 50 * MINUTE_MS);
        phases.push({ at: CUTOVER_MS, label: 'cut-over to the new version' }, { at: ROLLBACK_MS, label: 'rollback to the old version' });
        expectations.push(variant === 'rollback-cold' ? e.cliff(6, ROLLBACK_MS) : e.noCliff(4, ROLLBACK_MS));
        break;
      case 'floating-alias':
      case 'pinned-version':
        t.requests = main(SCHEDULES.never, () => (variant === 'floating-alias' ? ALIAS : OLD));
        events.push({ at: CUTOVER_MS, event: { kind: 'alias-repoint', alias: ALIAS, model: NEW } });
        expectations.push(variant === 'floating-alias' ? e.cliff(6) : e.noCliff(1.3));
        break;
    }
    return {
      provider: {
        profile: 'anthropic',
        overrides: {
          // Custom limits large enough that the cold hour is billed, not refused.
          quotas: [{ name: 'input-tokens-per-minute', dimension: 'input-tokens', kind: 'token-bucket', limit: 40_000_000, windowMs: MINUTE_MS }],
        },
      },
      traffic: t,
      events,
      phases,
      expectations,
    };
  },
});
