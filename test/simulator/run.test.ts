import { describe, expect, it } from 'vitest';
import stampede from '../../scenarios/stampede.ts';
import { collect, simpleRequest, tinyScenario } from './helpers.ts';

const START = Date.parse('2026-01-05T00:00:00Z');

describe('runScenario', () => {
  it('writes a byte-identical ledger for the same scenario, variant and seed', async () => {
    const a = await collect(stampede, 'baseline');
    const b = await collect(stampede, 'baseline');
    const text = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n');
    expect(a.rows.length).toBe(105_403);
    expect(text(a.rows) === text(b.rows)).toBe(true);
    const c = await collect(stampede, 'baseline', 'another-seed');
    expect(text(c.rows) === text(a.rows)).toBe(false);
  });

  it('sends a constant arrival rate on an even grid: 5/s for 10 s is 50 requests 200 ms apart', async () => {
    const { requests } = await collect(
      tinyScenario({ steady: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '10s', build: simpleRequest } }),
    );
    expect(requests.length).toBe(50);
    expect(requests.slice(0, 3).map((r) => r.atMs - START)).toEqual([0, 200, 400]);
    // The first writer's first token comes at 600 ms + 2,100 tokens / 9,000 tok/s = 833 ms: the
    // requests at 0–800 ms all write (the stampede rule); from 1,000 ms on they read.
    expect(requests.map((r) => (r.cacheWriteTokens > 0 ? 'W' : 'R')).join('').slice(0, 8)).toBe('WWWWWRRR');
    expect(requests[0].ttftMs).toBeCloseTo(600 + (2_100 / 9_000) * 1000, 2); // the ledger keeps microseconds
  });

  it('runs per-vu-iterations as VUs × iterations, each VU waiting for its answer and think time', async () => {
    const { requests } = await collect(
      tinyScenario({ agents: { executor: 'per-vu-iterations', vus: 3, iterations: 4, thinkTime: '2s', build: simpleRequest } }),
    );
    expect(requests.length).toBe(12);
    const firstVu = requests.filter((r) => r.atMs === START);
    expect(firstVu.length).toBe(3);
    // A VU's next request starts after its latency plus 2 s of think time.
    const second = requests[3];
    expect(second.atMs - START).toBeCloseTo(2_000 + requests[0].latencyMs, 2);
  });

  it('retries a 429 after retry-after when the client does, and not otherwise', async () => {
    const quota = { quotas: [{ name: 'rpm', dimension: 'requests' as const, kind: 'fixed-window' as const, limit: 2, windowMs: 60_000 }] };
    const build = (i: number) => simpleRequest(i);
    const run = (retryOn429: boolean) =>
      collect(
        tinyScenario(
          { burst: { executor: 'per-vu-iterations', vus: 3, iterations: 1, build, client: { retryOn429, maxRetries: 1 } } },
          { provider: { profile: 'anthropic', overrides: { nodes: { count: 1 }, ...quota } }, duration: '5m' },
        ),
      );
    const without = await run(false);
    expect(without.requests.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(without.requests[2].retryAfterMs).toBe(60_000); // the fixed minute ends at 00:01:00
    const withRetry = await run(true);
    expect(withRetry.requests.map((r) => [r.status, r.attempt, r.atMs - START])).toEqual([
      [200, 0, 0],
      [200, 0, 0],
      [429, 0, 0],
      [200, 1, 60_000],
    ]);
  });

  it('applies provider events at their time and records them in the ledger', async () => {
    const { rows, requests } = await collect(
      tinyScenario(
        { steady: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: '20s', build: simpleRequest } },
        { events: [{ at: '10s', event: { kind: 'tokenizer-upgrade' } }], phases: [{ at: '5s', label: 'cut-over' }] },
      ),
    );
    const events = rows.filter((r) => r.kind === 'event');
    expect(events.map((e) => [e.kind === 'event' && e.source, e.atMs - START])).toEqual([
      ['phase', 5_000],
      ['provider', 10_000],
    ]);
    // The request at 10 s (after the event, same instant) misses: every key changed.
    expect(requests[10].cacheWriteTokens).toBe(2_000);
    expect(requests[9].cacheReadTokens).toBe(2_000);
  });
});

describe('stampede scenario', () => {
  it('baseline: the 1,000 workers and the 10 steady requests of the first second all write the 14k prefix', async () => {
    const { summary } = await collect(stampede, 'baseline');
    const writes = summary.expectations.find((e) => e.name === 'writes-within-1s-of-expiry');
    expect(writes?.measured).toBe(1_010);
    expect(summary.expectations.every((e) => e.pass)).toBe(true);
  });

  it('single-flight: one write, and the herd minute costs under a third of the baseline spike', async () => {
    const base = await collect(stampede, 'baseline');
    const fix = await collect(stampede, 'single-flight');
    expect(fix.summary.expectations.find((e) => e.name === 'max-writes-per-node')?.measured).toBe(1);
    expect(fix.summary.expectations.every((e) => e.pass)).toBe(true);
    const herdMinute = (rows: typeof base.requests) =>
      rows.filter((r) => r.atMs - Date.parse(stampede.startAt) >= 7_200_000 && r.atMs - Date.parse(stampede.startAt) < 7_260_000).reduce((s, r) => s + r.costUsd, 0);
    expect(herdMinute(fix.requests) / herdMinute(base.requests)).toBeLessThan(1 / 3);
  });
});
