// The cache stampede (../shared/seeds, "The Cache Stampede That Hit Your Model Provider Instead of
// Your Database"): a 14K-token system prompt shared by a thousand workers expires; they all send
// it within 200 ms, and since an entry is readable only from its writer's first token, every one
// of them pays the write.

import { defineScenario, type Expectation, type Executor, type RequestBuilder } from './kit/format.ts';
import { between, both, count, maxPerGroup, peakBucketCostRatio, writes } from './kit/measures.ts';
import { indexedSegment, segment, uniformInt } from './kit/prompt.ts';
import type { CacheTtl } from '../core/model/types.ts';

const MODEL = 'claude-sonnet-4-5-20250929';
const SYSTEM_TOKENS = 14_000;
const WORKERS = 1_000;
const LULL_FROM_MS = (1 * 60 + 54) * 60_000; // 13:54: the job queue runs dry
const HERD_AT_MS = 2 * 3_600_000; // 14:00: a batch of jobs lands

const agentRequest = (ttl: CacheTtl, cls: string, session: string, userTokens: number, user: [string, number], maxTokens?: number) => ({
  tenant: 'acme',
  session,
  class: cls,
  model: MODEL,
  segments: [segment('stampede:system-prompt:v7', SYSTEM_TOKENS, ttl), indexedSegment(user[0], user[1], userTokens)],
  outputTokens: maxTokens ?? 300,
  ...(maxTokens === undefined ? {} : { maxTokens }),
});

/** Steady agent traffic keeps the prefix warm, except during the lull before the herd. */
const steady = (ttl: CacheTtl, resumeAtMs = HERD_AT_MS): RequestBuilder => (i, tMs, rng) =>
  tMs >= LULL_FROM_MS && tMs < resumeAtMs ? null : agentRequest(ttl, 'interactive', `agent-${i % 200}`, uniformInt(rng, 200, 800), ['steady', i]);

const herd = (ttl: CacheTtl): RequestBuilder => (i, _tMs, rng) =>
  agentRequest(ttl, 'batch', `worker-${i}`, uniformInt(rng, 200, 800), ['job', i]);

/** Pre-warm: `max_tokens: 0` writes the prefix and returns at once (provider-facts §1.6). */
const warm = (ttl: CacheTtl): RequestBuilder => (i) => agentRequest(ttl, 'warmup', 'warmer', 1, ['warm', i], 0);

const herdWindow = (spreadMs: number, startOffsetMs = 0): Executor => ({
  executor: 'constant-arrival-rate',
  rate: WORKERS,
  timeUnit: spreadMs,
  duration: spreadMs,
  startTime: HERD_AT_MS + startOffsetMs,
  build: herd('5m'),
});

const herdWrites = (within: string) => both(writes, between(HERD_AT_MS, HERD_AT_MS + Number.parseInt(within, 10) * 1000));

const expect = {
  stampede: {
    name: 'writes-within-1s-of-expiry',
    description: 'cache writes of the shared prefix in the first second after the workers wake',
    measure: count(herdWrites('1')),
    op: '>=',
    value: 100,
  },
  spike: {
    name: 'peak-minute-cost-vs-trailing-hour',
    description: 'costliest minute ÷ average minute of the hour before it',
    measure: peakBucketCostRatio('1m', '1h'),
    op: '>=',
    value: 5,
  },
  noSpike: {
    name: 'peak-minute-cost-vs-trailing-hour',
    description: 'costliest minute ÷ average minute of the hour before it',
    measure: peakBucketCostRatio('1m', '1h'),
    op: '<',
    value: 3.5,
  },
  fewWrites: (max: number): Expectation => ({
    name: 'writes-in-first-minute',
    description: 'cache writes of the shared prefix in the first minute after the workers wake',
    measure: count(herdWrites('60')),
    op: '<=',
    value: max,
  }),
  onePerNode: {
    name: 'max-writes-per-node',
    description: 'cache writes per node in the first minute (single-flight: the warm-up only)',
    measure: maxPerGroup((row) => row.node, herdWrites('60')),
    op: '<=',
    value: 1,
  },
} satisfies Record<string, Expectation | ((n: number) => Expectation)>;

export default defineScenario({
  name: 'stampede',
  description:
    'A 14K-token system prompt shared by 1,000 workers expires during a six-minute lull; when jobs land at 14:00 every worker sends it within 200 ms, and each pays the cache write because an entry is readable only from its writer\'s first token. ' +
    'Look at the cost spike at 14:00 (cache-write dollars) against the trailing hour, and at the hit-rate dip under it.',
  startAt: '2026-03-02T12:00:00Z',
  variants: {
    baseline: 'workers wake together: 1,000 requests in 200 ms',
    jitter: 'workers spread their first request evenly over 60 s',
    'single-flight': 'one pre-warm request writes; the rest wait for its first token',
    'proactive-refresh': 'a warmer re-sends the prefix every 4 minutes, before the 5-minute TTL',
    'ttl-1h': 'the prefix is cached with the 1-hour TTL (2× write price), outliving the lull',
  },
  setup: (variant) => {
    const ttl: CacheTtl = variant === 'ttl-1h' ? '1h' : '5m';
    const traffic: Record<string, Executor> = {
      steady: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '3h', build: steady(ttl) },
      herd: { ...herdWindow(200), build: herd(ttl) },
    };
    const expectations: Expectation[] = [];
    switch (variant) {
      case 'baseline':
        expectations.push(expect.stampede, expect.spike);
        break;
      case 'jitter':
        traffic.herd = herdWindow(60_000);
        expectations.push(expect.fewWrites(100));
        break;
      case 'single-flight':
        traffic.warmup = { executor: 'per-vu-iterations', vus: 1, iterations: 1, startTime: HERD_AT_MS, build: warm(ttl) };
        // Everyone waits for the warm-up's first token, ~2.2 s after it starts.
        traffic.herd = herdWindow(200, 3_000);
        traffic.steady = { ...traffic.steady, build: steady(ttl, HERD_AT_MS + 3_000) };
        expectations.push(expect.onePerNode, expect.fewWrites(1), expect.noSpike);
        break;
      case 'proactive-refresh':
        traffic.warmup = { executor: 'constant-arrival-rate', rate: 1, timeUnit: '4m', duration: '3h', build: warm(ttl) };
        expectations.push(expect.fewWrites(0), expect.noSpike);
        break;
      case 'ttl-1h':
        expectations.push(expect.fewWrites(0), expect.noSpike);
        break;
    }
    return {
      provider: {
        profile: 'anthropic',
        // One node, and custom limits large enough that the herd is billed rather than refused.
        overrides: {
          nodes: { count: 1 },
          quotas: [{ name: 'input-tokens-per-minute', dimension: 'input-tokens', kind: 'token-bucket', limit: 40_000_000, windowMs: 60_000 }],
        },
      },
      traffic,
      phases: [
        { at: LULL_FROM_MS, label: 'job queue runs dry' },
        { at: LULL_FROM_MS + 5 * 60_000, label: 'prefix expires' },
        { at: HERD_AT_MS, label: '1,000 workers wake' },
      ],
      expectations,
    };
  },
});
