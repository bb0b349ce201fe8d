// The warm-up cron that ran in blue and never in green (../shared/seeds, "The KV Cache Warm-Up
// Cron That Ran in Blue and Never in Green Because the Host Pinning Never Moved"). 2,000 tenants
// each have a 4,000-token context prefix; most start a session less than once a day, so without
// help their first request is cold. A cron every five minutes warms the next 1/288th of the
// tenants (each one every 22 hours) inside OpenAI's 24-hour extended retention; cold starts hit.
// The cron's host selector is pinned to the blue pool; at the blue/green swap it stops, and each
// prefix ages out 24 hours after its last warm-up: nothing shows for a day, then the hit rate
// slides while the dashboards average it away.

import { HOUR_MS } from './kit/durations.ts';
import { defineScenario, type Expectation, type RequestBuilder } from './kit/format.ts';
import { between, both, costRateRatio, hitRate, ofClass } from './kit/measures.ts';
import { segment, uniformInt, zipf } from './kit/prompt.ts';

const MODEL = 'gpt-5-2025-08-07';
const TENANTS = 2_000;
const CONTEXT_TOKENS = 4_000;
const SESSIONS_PER_DAY = 800;
const DAY = 24 * HOUR_MS;
const SWAP_MS = 2 * DAY; // day 0 warms the cache, day 1 is the healthy reference
const END_MS = 4 * DAY;
const WARM_EVERY_MS = 5 * 60_000;
/** Each tenant is warmed every 22 hours, inside the 24-hour retention: 264 runs per cycle. */
const RUNS_PER_CYCLE = (22 * HOUR_MS) / WARM_EVERY_MS;

const tenantOf = zipf(TENANTS, 0.2);

const prompt = (tenant: number, tail: string, tailTokens: number) => [
  segment(`blue-green:tenant:${tenant}:context`, CONTEXT_TOKENS),
  segment(`blue-green:${tail}`, tailTokens),
];

/** A session's first request: the cold start the warmer exists for. */
const sessionStart: RequestBuilder = (i, _tMs, rng) => {
  const tenant = tenantOf(rng);
  return {
    tenant: 'acme',
    session: `tenant-${tenant}`,
    class: 'interactive',
    model: MODEL,
    segments: prompt(tenant, `ask:${i}`, uniformInt(rng, 100, 300)),
    outputTokens: uniformInt(rng, 20, 120),
    retention: '24h',
  };
};

/** Warm-up iteration i: cron run floor(i / perRun) warms its slice of the tenants. */
const warmup = (perRun: number): RequestBuilder => (i) => {
  const run = Math.floor(i / perRun);
  const tenant = ((run % RUNS_PER_CYCLE) * perRun + (i % perRun)) % TENANTS;
  return {
    tenant: 'acme',
    session: 'warm-up-cron',
    class: 'warmup',
    model: MODEL,
    segments: prompt(tenant, `warm:${i}`, 1),
    outputTokens: 0,
    maxTokens: 0,
    retention: '24h',
  };
};

const interactive = ofClass('interactive');
const BEFORE = [DAY, SWAP_MS] as const;
const hitIn = (name: string, from: number, to: number, op: Expectation['op'], value: number): Expectation => ({
  name,
  description: `hit rate of session starts from ${(from - SWAP_MS) / HOUR_MS} h to ${(to - SWAP_MS) / HOUR_MS} h after the swap`,
  measure: hitRate(both(interactive, between(from, to))),
  op,
  value,
});
const costLate = (op: Expectation['op'], value: number): Expectation => ({
  name: 'session-start-cost-rate-36-48h-after-vs-before',
  description: 'dollars per hour of session starts 36–48 h after the swap ÷ the day before it',
  measure: costRateRatio([SWAP_MS + 36 * HOUR_MS, SWAP_MS + 48 * HOUR_MS], BEFORE, interactive),
  op,
  value,
});

export default defineScenario({
  name: 'warmup-cron-blue-green',
  description:
    'A cron every five minutes keeps 2,000 tenant prefixes warm (each refreshed every 22 h, inside the 24 h retention), so session starts, about 800 a day, hit about 94 % of their input tokens; the cron\u2019s host selector is pinned to the blue pool, and after the blue/green swap at Saturday 00:00 it never runs again: the prefixes age out one by one, and 36–48 h later the hit rate is about 26 %, session starts cost about 3.2× per hour what they did and the whole bill (warmer included) about 1.5×. ' +
    'Look at the hit-rate line of class interactive sliding after the swap marker and at the cost-per-hour curve, against follow-live-colour.',
  startAt: '2026-09-03T00:00:00Z',
  variants: {
    'pinned-to-blue': 'the warm-up cron runs on the blue pool only; blue is decommissioned at the swap',
    'follow-live-colour': 'the cron\u2019s selector follows the live colour and keeps running after the swap',
  },
  setup: (variant) => {
    const perRun = Math.ceil(TENANTS / RUNS_PER_CYCLE);
    const cronDurationMs = variant === 'pinned-to-blue' ? SWAP_MS : END_MS;
    return {
      provider: { profile: 'openai' },
      traffic: {
        sessions: { executor: 'constant-arrival-rate', rate: SESSIONS_PER_DAY, timeUnit: '1d', duration: END_MS, build: sessionStart },
        cron: { executor: 'constant-arrival-rate', rate: perRun, timeUnit: WARM_EVERY_MS, duration: cronDurationMs, build: warmup(perRun) },
      },
      phases: [{ at: SWAP_MS, label: 'blue/green swap: green is live, blue decommissioned' }],
      expectations:
        variant === 'pinned-to-blue'
          ? [hitIn('hit-rate-day-before', DAY, SWAP_MS, '>=', 0.85), hitIn('hit-rate-first-2h-after', SWAP_MS, SWAP_MS + 2 * HOUR_MS, '>=', 0.85), hitIn('hit-rate-36-48h-after', SWAP_MS + 36 * HOUR_MS, SWAP_MS + 48 * HOUR_MS, '<=', 0.35), costLate('>=', 2.8)]
          : [hitIn('hit-rate-day-before', DAY, SWAP_MS, '>=', 0.85), hitIn('hit-rate-36-48h-after', SWAP_MS + 36 * HOUR_MS, SWAP_MS + 48 * HOUR_MS, '>=', 0.85), costLate('<=', 1.2)],
    };
  },
});
