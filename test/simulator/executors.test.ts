import { describe, expect, it } from 'vitest';
import { collect, simpleRequest, tinyScenario } from './helpers.ts';

const START = Date.parse('2026-01-05T00:00:00Z');

describe('VU executors', () => {
  it('constant-vus: each VU loops request → answer → think time until the duration ends', async () => {
    const { requests } = await collect(
      tinyScenario({ chat: { executor: 'constant-vus', vus: 2, duration: '60s', thinkTime: '10s', build: simpleRequest } }),
    );
    // Per VU: first request writes (latency ≈ 2.4 s), later ones read (≈ 1.8 s), plus 10 s think:
    // starts at 0, ~12.4, ~24.2, ~36.0, ~47.8, ~59.6 s → 6 iterations per VU within 60 s.
    expect(requests.length).toBe(12);
    const perVuStarts = requests.filter((_, i) => i % 2 === 0).map((r) => Math.round((r.atMs - START) / 100) / 10);
    expect(perVuStarts[0]).toBe(0);
    expect(perVuStarts[1]).toBeCloseTo(10 + requests[0].latencyMs / 1000, 1);
  });

  it('ramping-vus: 0 → 4 VUs over 40 s starts VU k at 10·k s', async () => {
    const { requests } = await collect(
      tinyScenario({
        ramp: { executor: 'ramping-vus', startVUs: 0, stages: [{ target: 4, duration: '40s' }], thinkTime: '1h', build: simpleRequest },
      }),
    );
    // A one-hour think time leaves one request per VU: at 10, 20, 30 and 40 s.
    expect(requests.map((r) => (r.atMs - START) / 1000)).toEqual([10, 20, 30, 40]);
  });

  it('draws think time from a function of the iteration rng', async () => {
    const { requests } = await collect(
      tinyScenario({
        agents: { executor: 'per-vu-iterations', vus: 1, iterations: 3, thinkTime: (rng) => 5_000 + rng() * 1_000, build: simpleRequest },
      }),
    );
    const gaps = requests.slice(1).map((r, i) => r.atMs - requests[i].atMs - requests[i].latencyMs);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(5_000 - 1e-3);
      expect(gap).toBeLessThan(6_000);
    }
    expect(gaps[0]).not.toBeCloseTo(gaps[1], 3);
  });
});
