// The nightly batch that collides with interactive traffic on a shared key. Anthropic's input-token
// limit is a token bucket, "continuously replenished" up to one minute's worth (provider-facts
// §1.11). The batch starts at 00:05 UTC (16:05 in California, the interactive peak) and, with the
// interactive traffic, asks for about 12 % more than the bucket refills. The minute's worth stored
// in the bucket hides the excess for about seven minutes; from about 00:12 the bucket is empty and
// every request, interactive ones included, is admitted only as tokens refill: 429s until the batch
// drains. A bucket's retry-after is exact for each request, so synchronised retries are no herd
// here; jitter (which a fixed window's shared reset time needs) only delays them into refusals.
//
// The incident write-up blames a change of the daily window's accounting (fixed UTC day → rolling
// 24 h). With traffic that repeats daily, any 24-hour window holds exactly one day of it, so a
// rolling window refuses nothing a UTC-day window would not; the collision is in the minute bucket.

import { MINUTE_MS, HOUR_MS } from './kit/durations.ts';
import { defineScenario, type ClientBehaviour, type Executor, type Expectation, type RequestBuilder } from './kit/format.ts';
import { between, both, count, finalAttempt, firstAtMs, ofClass, scaled, status } from './kit/measures.ts';
import { segment, uniformInt } from './kit/prompt.ts';

const MODEL = 'claude-sonnet-4-5-20250929';
const BATCH_AT_MS = 5 * MINUTE_MS; // 00:05 UTC
const BATCH_JOBS = 4_200;
const JOB_TOKENS = 5_000;
const ITPM = 2_000_000; // §1.11 tier 4, Sonnet 4.x

/** Interactive demand per minute: the US afternoon peak around 00:00 UTC, quieter by 06:00. */
const interactivePerMinute = (tMs: number): number => (tMs < 3 * HOUR_MS ? 60 : 20);
const OFFERED_PER_MINUTE = 67;

const interactive = (tenant: string): RequestBuilder => (i, tMs, rng) => {
  // The executor offers 67 a minute (off the batch's grid); thin to the time of day's share.
  if (rng() * OFFERED_PER_MINUTE >= interactivePerMinute(tMs)) return null;
  return {
    tenant,
    session: `user-${i % 400}`,
    class: 'interactive',
    model: MODEL,
    segments: [segment(`collision:ask:${i}`, uniformInt(rng, 3_000, 5_000))],
    outputTokens: uniformInt(rng, 200, 600),
  };
};

const job = (tenant: string): RequestBuilder => (i, _tMs, rng) => ({
  tenant,
  session: 'nightly-batch',
  class: 'batch',
  model: MODEL,
  segments: [segment(`collision:document:${i}`, JOB_TOKENS)],
  outputTokens: uniformInt(rng, 200, 400),
});

const batch = (tenant: string, startMs: number, perMinute: number, client?: ClientBehaviour): Executor => ({
  executor: 'constant-arrival-rate',
  rate: perMinute,
  timeUnit: '1m',
  duration: Math.ceil((BATCH_JOBS / perMinute) * MINUTE_MS),
  startTime: startMs,
  build: job(tenant),
  ...(client === undefined ? {} : { client }),
});

const MAX_RETRIES = 3;
const interactive429 = (from: number, to: number) => count(both(ofClass('interactive'), status(429), between(from, to)));
const expect = {
  onset: {
    name: 'first-interactive-429-min',
    description: 'minute of the first interactive 429 (the batch starts at 00:05; the bucket\u2019s stored minute lasts about eight)',
    measure: scaled(1 / MINUTE_MS, firstAtMs(both(ofClass('interactive'), status(429)))),
    op: '>=',
    value: 12,
  },
  onsetBy: {
    name: 'first-interactive-429-before-min',
    description: 'minute of the first interactive 429, bounded above',
    measure: scaled(1 / MINUTE_MS, firstAtMs(both(ofClass('interactive'), status(429)))),
    op: '<=',
    value: 14.5,
  },
  collision: { name: 'interactive-429s-00:12-00:17', description: 'interactive 429s once the bucket is empty', measure: interactive429(12 * MINUTE_MS, 17 * MINUTE_MS), op: '>=', value: 30 },
  none: { name: 'interactive-429s', description: 'interactive 429s over the run', measure: count(both(ofClass('interactive'), status(429))), op: '<=', value: 0 },
  allServed: {
    name: 'interactive-requests-failed-after-retries',
    description: 'interactive requests still refused after their last retry',
    measure: count(both(ofClass('interactive'), status(429), finalAttempt(MAX_RETRIES))),
    op: '<=',
    value: 0,
  },
  someFailed: {
    name: 'interactive-requests-failed-after-retries',
    description: 'interactive requests still refused after their last retry',
    measure: count(both(ofClass('interactive'), status(429), finalAttempt(MAX_RETRIES))),
    op: '>=',
    value: 1,
  },
} satisfies Record<string, Expectation>;

export default defineScenario({
  name: 'batch-interactive-collision',
  description:
    'A nightly batch of 4,200 5k-token documents starts at 00:05 UTC on the same key as the interactive traffic at its peak, asking for about 12 % more input tokens a minute than the 2 M ITPM token bucket refills; the bucket\u2019s stored minute hides the excess for eight minutes, then from about 00:13 interactive requests get 429s until the batch drains. ' +
    'Look at 429s by traffic class per minute from 00:05 to 00:20 and at input tokens per minute against the 2 M line; in the retry pair, note that a token bucket\u2019s retry-after is exact per request, so un-jittered retries all succeed while jitter only adds refusals.',
  startAt: '2026-10-06T00:00:00Z',
  variants: {
    'shared-key': 'batch and interactive on one key; the batch sends 400 5k-token documents a minute',
    'separate-keys': 'the batch on its own key (own limits), interactive on another',
    'paced-batch': 'the batch paced to 320 documents (1.6 M tokens) a minute, leaving interactive its share',
    'off-peak': 'the batch moved to 06:05 UTC, off the interactive peak',
    'retry-no-jitter': 'shared key; interactive clients retry 429s after retry-after, all at once',
    'retry-jitter': 'shared key; interactive clients retry after retry-after plus up to 5 s of jitter',
  },
  setup: (variant) => {
    const batchTenant = variant === 'separate-keys' ? 'acme-batch' : 'acme';
    const retry: ClientBehaviour | undefined =
      variant === 'retry-no-jitter' ? { retryOn429: true, maxRetries: MAX_RETRIES } : variant === 'retry-jitter' ? { retryOn429: true, maxRetries: MAX_RETRIES, retryJitterMs: 5_000 } : undefined;
    const batchStartMs = variant === 'off-peak' ? 6 * HOUR_MS + 5 * MINUTE_MS : BATCH_AT_MS;
    const traffic: Record<string, Executor> = {
      interactive: { executor: 'constant-arrival-rate', rate: OFFERED_PER_MINUTE, timeUnit: '1m', duration: '7h', build: interactive('acme'), ...(retry === undefined ? {} : { client: retry }) },
      batch: batch(batchTenant, batchStartMs, variant === 'paced-batch' ? 320 : 400),
    };
    const expectations: Expectation[] = [];
    switch (variant) {
      case 'shared-key':
        expectations.push(expect.onset, expect.onsetBy, expect.collision);
        break;
      case 'retry-no-jitter':
        expectations.push(expect.onset, expect.allServed);
        break;
      case 'retry-jitter':
        expectations.push(expect.onset, expect.someFailed);
        break;
      default:
        expectations.push(expect.none);
    }
    return {
      provider: { profile: 'anthropic' },
      traffic,
      phases: [{ at: batchStartMs, label: 'nightly batch starts' }],
      expectations,
    };
  },
});
