// Quota limiters (provider-facts §1.11, §2.5): token bucket, clock-aligned fixed windows, rolling
// windows; the all-or-nothing admission; and what each provider counts as input.

import { describe, expect, it } from 'vitest';
import type { QuotaKind, QuotaSpec } from '../../../core/model/config.ts';
import { fixedWindow } from '../../../core/model/quotas/fixed-window.ts';
import { admit, createLimiter, limiterStates } from '../../../core/model/quotas/limiters.ts';
import { rollingWindow } from '../../../core/model/quotas/rolling-window.ts';
import { tokenBucket } from '../../../core/model/quotas/token-bucket.ts';
import { forgetTenant, rateLimitSnapshot } from '../../../core/model/provider.ts';
import type { QuotaDimension } from '../../../core/model/types.ts';
import { anthropic, claudeRequest, GPT_4O, gptRequest, openai, seg, send, SONNET } from './helpers.ts';

const MIN = 60_000;
const DAY = 86_400_000;

const spec = (kind: QuotaKind, limit: number, windowMs = MIN, dimension: QuotaDimension = 'requests'): QuotaSpec => ({
  name: `${dimension}-${kind}`,
  dimension,
  kind,
  limit,
  windowMs,
});

describe('token bucket', () => {
  // 60 per minute refills 1 per second, continuously.
  const bucket = spec('token-bucket', 60);

  it('starts full and refills continuously at limit / window', () => {
    const state = tokenBucket.create(bucket, 0);
    tokenBucket.consume(bucket, state, 60, 0);
    expect([
      tokenBucket.available(bucket, state, 0),
      tokenBucket.available(bucket, state, 1_500),
      tokenBucket.available(bucket, state, 30_000),
    ]).toEqual([0, 1.5, 30]);
  });

  it('never holds more than its limit', () => {
    const state = tokenBucket.create(bucket, 0);
    tokenBucket.consume(bucket, state, 10, 0);
    expect(tokenBucket.available(bucket, state, 10 * MIN)).toBe(60);
  });

  it('says how long until a request fits, and when it is full again', () => {
    const state = tokenBucket.create(bucket, 0);
    tokenBucket.consume(bucket, state, 60, 0);
    // Empty at 0: 1 token in 1,000 ms; 5 tokens in 5,000 ms; full 60 at 60,000.
    expect([tokenBucket.waitMs(bucket, state, 1, 0), tokenBucket.waitMs(bucket, state, 5, 0), tokenBucket.resetAtMs(bucket, state, 0)]).toEqual([
      1_000, 5_000, 60_000,
    ]);
    // At 30 s it holds 30: full at 30,000 + 30 × 1,000 = 60,000.
    expect(tokenBucket.resetAtMs(bucket, state, 30_000)).toBe(60_000);
  });

  it('never admits a request larger than the limit', () => {
    expect(tokenBucket.waitMs(bucket, tokenBucket.create(bucket, 0), 61, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('fixed window', () => {
  it('resets a minute window at :00, not a minute after first use', () => {
    const minute = spec('fixed-window', 10);
    const firstUse = Date.UTC(2026, 0, 15, 12, 34, 56, 789);
    const state = fixedWindow.create(minute, firstUse);
    fixedWindow.consume(minute, state, 10, firstUse);
    const lastMs = Date.UTC(2026, 0, 15, 12, 34, 59, 999);
    const nextMinute = Date.UTC(2026, 0, 15, 12, 35, 0, 0);
    expect([fixedWindow.available(minute, state, lastMs), fixedWindow.waitMs(minute, state, 1, lastMs), fixedWindow.resetAtMs(minute, state, lastMs)]).toEqual([
      0,
      1,
      nextMinute,
    ]);
    expect(fixedWindow.available(minute, state, nextMinute)).toBe(10);
  });

  it('reports an unused window as full now, a used one as full at the next window', () => {
    const minute = spec('fixed-window', 10);
    const at = Date.UTC(2026, 0, 15, 12, 34, 56, 789);
    const state = fixedWindow.create(minute, at);
    const unused = fixedWindow.resetAtMs(minute, state, at);
    fixedWindow.consume(minute, state, 1, at);
    expect([unused, fixedWindow.resetAtMs(minute, state, at)]).toEqual([at, Date.UTC(2026, 0, 15, 12, 35)]);
  });

  it('resets a day window at 00:00 UTC', () => {
    const day = spec('fixed-window', 1_000, DAY, 'tokens');
    const evening = Date.UTC(2026, 0, 15, 23, 59, 59, 999);
    const midnight = Date.UTC(2026, 0, 16);
    const state = fixedWindow.create(day, Date.UTC(2026, 0, 15, 8));
    fixedWindow.consume(day, state, 400, Date.UTC(2026, 0, 15, 8));
    fixedWindow.consume(day, state, 600, evening);
    expect([fixedWindow.available(day, state, evening), fixedWindow.waitMs(day, state, 1, evening), fixedWindow.resetAtMs(day, state, evening)]).toEqual([
      0,
      1,
      midnight,
    ]);
    expect(fixedWindow.available(day, state, midnight)).toBe(1_000);
  });
});

describe('rolling window', () => {
  const rolling = spec('rolling-window', 10);

  it('releases each use a full window after it, not all at once', () => {
    const state = rollingWindow.create(rolling, 0);
    rollingWindow.consume(rolling, state, 4, 0);
    rollingWindow.consume(rolling, state, 6, 30_000);
    // At 45 s: 1 more fits when the 4 from 0 s leave (60,000); 5 more when the 6 from 30 s leave (90,000).
    expect([rollingWindow.waitMs(rolling, state, 1, 45_000), rollingWindow.waitMs(rolling, state, 5, 45_000)]).toEqual([15_000, 45_000]);
    expect([
      rollingWindow.available(rolling, state, 59_999),
      rollingWindow.available(rolling, state, 60_000),
      rollingWindow.available(rolling, state, 89_999),
      rollingWindow.available(rolling, state, 90_000),
    ]).toEqual([0, 4, 4, 10]);
  });

  it('is full again when its newest use leaves the window', () => {
    const state = rollingWindow.create(rolling, 0);
    rollingWindow.consume(rolling, state, 4, 0);
    rollingWindow.consume(rolling, state, 6, 30_000);
    expect([rollingWindow.resetAtMs(rolling, state, 45_000), rollingWindow.resetAtMs(rolling, state, 90_000)]).toEqual([90_000, 90_000]);
  });

  it('counts use in 1-second sub-buckets, so a use at 30.5 s leaves at 90 s', () => {
    const state = rollingWindow.create(rolling, 0);
    rollingWindow.consume(rolling, state, 10, 30_500);
    expect([rollingWindow.available(rolling, state, 89_999), rollingWindow.available(rolling, state, 90_000)]).toEqual([0, 10]);
  });
});

describe('admission', () => {
  it('consumes from no limiter when any refuses, and reports the longest wait', () => {
    const limiters = [createLimiter(spec('token-bucket', 60), 0), createLimiter(spec('fixed-window', 100, MIN, 'tokens'), 0)];
    const charge = { requests: 1, tokens: 80, 'input-tokens': 80, 'output-tokens': 0 };
    expect(admit(limiters, charge, 0).admitted).toBe(true);
    const refused = admit(limiters, charge, 1_000);
    // Tokens: 80 + 80 > 100 until the minute ends at 60,000: wait 59,000 ms. Requests would fit.
    expect([refused.admitted, refused.retryAfterMs, refused.refusedBy?.name]).toEqual([false, 59_000, 'tokens-fixed-window']);
    // Nothing consumed by the refusal: the bucket refilled 1 of the 1 used (1 s × 1/s) and holds 60.
    expect(limiterStates(limiters, 1_000).map((s) => s.remaining)).toEqual([60, 20]);
  });

  it('asks a request larger than a limit to wait a whole window', () => {
    const limiters = [createLimiter(spec('token-bucket', 1_000, MIN, 'tokens'), 0)];
    const refused = admit(limiters, { requests: 1, tokens: 1_001, 'input-tokens': 1_001, 'output-tokens': 0 }, 0);
    expect([refused.admitted, refused.retryAfterMs]).toEqual([false, 60_000]);
  });
});

describe('quotas in the provider', () => {
  const prompt = () => [seg('doc', 8_550, '5m'), seg('question', 450)];

  it('answers 429 with retry-after once requests per minute run out', () => {
    const provider = anthropic({ quotas: [spec('token-bucket', 2)] });
    const outcomes = [0, 0, 0].map((at) => send(provider, claudeRequest(prompt()), at));
    // Two per minute refill one every 30,000 ms.
    expect(outcomes.map((o) => [o.status, o.retryAfterMs])).toEqual([
      [200, 0],
      [200, 0],
      [429, 30_000],
    ]);
    expect([outcomes[2].error?.kind, outcomes[2].error?.message, outcomes[2].costUsd, outcomes[2].node]).toEqual([
      'rate_limit',
      'This request would exceed the rate limit for your organization of 2 requests per minute.',
      0,
      -1,
    ]);
  });

  it('keeps separate limits per organisation and per model', () => {
    const provider = anthropic({ quotas: [spec('token-bucket', 1)] });
    const statuses = [
      send(provider, claudeRequest(prompt()), 0),
      send(provider, claudeRequest(prompt(), { tenant: 'globex' }), 0),
      send(provider, claudeRequest(prompt(), { model: 'claude-sonnet-4-6' }), 0),
      send(provider, claudeRequest(prompt()), 0),
    ].map((o) => o.status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  // The provider remembers each tenant's limiters per model (model-memo.ts TenantModel): forgetting
  // the tenant forgets them there too, and a request after a 429 still meets the same limiter.
  it('starts a forgotten organisation with full quotas, and keeps refusing one that is not', () => {
    const provider = anthropic({ quotas: [spec('token-bucket', 1)] });
    const first = [send(provider, claudeRequest(prompt()), 0), send(provider, claudeRequest(prompt()), 10)].map((o) => o.status);
    forgetTenant(provider, 'acme');
    const afterForget = [send(provider, claudeRequest(prompt()), 20), send(provider, claudeRequest(prompt()), 30)].map((o) => o.status);
    expect([first, afterForget, rateLimitSnapshot(provider, 'acme', SONNET, 30)[0].remaining]).toEqual([[200, 429], [200, 429], 0]);
  });

  it('does not count Anthropic cache reads toward input tokens per minute, but counts writes', () => {
    const itpm = spec('fixed-window', 20_000, MIN, 'input-tokens');
    const provider = anthropic({ quotas: [itpm] });
    send(provider, claudeRequest(prompt()), 0); // writes 8,550 + 450 uncached = 9,000
    send(provider, claudeRequest(prompt()), 10_000); // reads 8,550 (free) + 450 uncached = 450
    // 20,000 − 9,000 − 450 = 10,550.
    expect(rateLimitSnapshot(provider, 'acme', SONNET, 10_000).map((s) => s.remaining)).toEqual([10_550]);
  });

  it('counts OpenAI cached tokens toward tokens per minute', () => {
    const tpm = spec('fixed-window', 10_000, MIN, 'tokens');
    const provider = openai({ quotas: [tpm] });
    const request = gptRequest([seg('conversation', 2_006)]);
    send(provider, request, 0);
    const warm = send(provider, request, 10_000);
    expect(warm.usage.cacheReadTokens).toBe(1_920);
    // Each request: 2,006 prompt + 300 output = 2,306, cached or not. 10,000 − 2 × 2,306 = 5,388.
    expect(rateLimitSnapshot(provider, 'acme', GPT_4O, 10_000).map((s) => s.remaining)).toEqual([5_388]);
  });

  it('charges output tokens to the output-token limit', () => {
    const otpm = spec('fixed-window', 1_000, MIN, 'output-tokens');
    const provider = anthropic({ quotas: [otpm] });
    send(provider, claudeRequest(prompt()), 0);
    send(provider, claudeRequest(prompt(), { maxTokens: 0 }), 0);
    // 100 + 0 = 100 used.
    expect(rateLimitSnapshot(provider, 'acme', SONNET, 0).map((s) => [s.dimension, s.limit, s.remaining])).toEqual([['output-tokens', 1_000, 900]]);
  });
});
