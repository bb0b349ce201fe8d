// The retry rule shared by the simulator and the k6 bundle (scenarios/kit/retry.ts), and the
// simulator following it through a burst of injected 529s.

import { describe, expect, it } from 'vitest';
import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, retryWaitMs } from '../../scenarios/kit/retry.ts';
import { collect, simpleRequest, tinyScenario } from './helpers.ts';

const START = Date.parse('2026-01-05T00:00:00Z');
/** A draw whose stream yields `values` in turn, counting how often a stream was asked for. */
const draws = (...values: number[]) => {
  const calls = { streams: 0 };
  return { calls, draw: () => (calls.streams++, () => values.shift() ?? 0) };
};

describe('retryWaitMs', () => {
  it('waits retry-after for a 429, plus the uniform jitter, and draws nothing without jitter', () => {
    const plain = draws(0.5);
    expect(retryWaitMs({ retryOn429: true }, 429, 0, 3_000, plain.draw)).toBe(3_000);
    expect(plain.calls.streams).toBe(0);
    expect(retryWaitMs({ retryOn429: true, retryJitterMs: 1_000 }, 429, 0, 3_000, draws(0.5).draw)).toBe(3_500);
  });

  it('backs off 0.5 s doubling to 8 s, less up to 25 %, for server errors without retry-after', () => {
    const client = { retryOnServerError: true, maxRetries: 10 };
    expect([0, 1, 2, 3, 4, 5, 9].map((attempt) => retryWaitMs(client, 529, attempt, 0, draws(0).draw))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(retryWaitMs(client, 500, 1, 0, draws(1).draw)).toBe(750); // the most jitter takes a quarter off
    expect(retryWaitMs(client, 503, 0, 0, draws(0).draw)).toBe(BACKOFF_INITIAL_MS);
    expect(BACKOFF_MAX_MS).toBe(8_000);
  });

  it('prefers a server error’s retry-after to the backoff', () => {
    expect(retryWaitMs({ retryOnServerError: true }, 529, 0, 2_500, draws(0.9).draw)).toBe(2_500);
  });

  it('does not retry what the client does not retry, nor beyond maxRetries (default 2)', () => {
    const d = draws();
    expect(retryWaitMs(undefined, 429, 0, 1_000, d.draw)).toBeUndefined();
    expect(retryWaitMs({ retryOn429: true }, 529, 0, 0, d.draw)).toBeUndefined();
    expect(retryWaitMs({ retryOnServerError: true }, 429, 0, 1_000, d.draw)).toBeUndefined();
    expect(retryWaitMs({ retryOnServerError: true }, 400, 0, 0, d.draw)).toBeUndefined();
    expect(retryWaitMs({ retryOnServerError: true }, 529, 2, 0, d.draw)).toBeUndefined();
    expect(retryWaitMs({ retryOnServerError: true, maxRetries: 3 }, 529, 2, 0, draws(0).draw)).toBe(2_000);
    expect(d.calls.streams).toBe(0);
  });
});

describe('the simulator retrying server errors', () => {
  it('retries through a 529 burst with the SDK backoff and succeeds once it is over', async () => {
    // Every request inside [0, 2 s) is overloaded. One request at 0: retries wait 375–500 ms,
    // then 750–1,000, then 1,500–2,000, so the third retry lands at 2,625 ms or later, past the burst.
    const scenario = tinyScenario(
      { one: { executor: 'per-vu-iterations', vus: 1, iterations: 1, build: simpleRequest, client: { retryOnServerError: true, maxRetries: 3 } } },
      {
        provider: { profile: 'anthropic', overrides: { nodes: { count: 1 }, faults: { windows: [{ fromMs: START, toMs: START + 2_000, overloadRate: 1, extraLatencyMs: 0 }] } } },
        duration: '1m',
      },
    );
    const { requests, summary } = await collect(scenario);
    expect(requests.map((r) => [r.status, r.attempt])).toEqual([
      [529, 0],
      [529, 1],
      [529, 2],
      [200, 3],
    ]);
    const gaps = requests.slice(1).map((r, i) => r.atMs - requests[i].atMs);
    for (const [i, gap] of gaps.entries()) {
      expect(gap).toBeGreaterThanOrEqual(0.75 * 500 * 2 ** i);
      expect(gap).toBeLessThanOrEqual(500 * 2 ** i);
    }
    expect(summary.totals).toMatchObject({ requests: 4, ok: 1, overloaded: 3 });
  });

  it('gives up after maxRetries and does not retry 529s for a client that only retries 429s', async () => {
    const run = (client: object) =>
      collect(
        tinyScenario(
          { one: { executor: 'per-vu-iterations', vus: 1, iterations: 1, build: simpleRequest, client } },
          { provider: { profile: 'anthropic', overrides: { nodes: { count: 1 }, faults: { overloadRate: 1 } } }, duration: '1m' },
        ),
      );
    expect((await run({ retryOnServerError: true })).requests.map((r) => r.attempt)).toEqual([0, 1, 2]);
    expect((await run({ retryOn429: true })).requests.map((r) => r.attempt)).toEqual([0]);
  });
});

describe('a burst of faults scheduled as events', () => {
  it('overloads exactly the requests between the two events, and labels them for the charts', async () => {
    const scenario = tinyScenario(
      { steady: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '10s', duration: '3m', build: simpleRequest } },
      {
        events: [
          { at: '1m', event: { kind: 'faults', overloadRate: 1 } },
          { at: '2m', event: { kind: 'faults', overloadRate: 0 } },
        ],
      },
    );
    const { rows, requests } = await collect(scenario);
    const overloaded = requests.filter((r) => r.status === 529).map((r) => (r.atMs - START) / 1_000);
    expect(overloaded).toEqual([60, 70, 80, 90, 100, 110]);
    expect(requests.filter((r) => r.status === 200)).toHaveLength(12);
    expect(rows.filter((r) => r.kind === 'event').map((r) => (r.kind === 'event' ? r.label : ''))).toEqual(['faults: 529s 100 %', 'faults cleared']);
  });
});
