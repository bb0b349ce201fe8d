// A window's retries wait what the simulator's would: retry jitter is drawn from the stream of the
// whole run's iteration (simulator/client.ts keys it `retry:<traffic>:<iteration>:<attempt>`), not
// the window's own count. Drawn from the window's count, iteration 20's retry (the window's 0th)
// took iteration 0's jitter: up to 2 s off here, and seconds off live in retry-jitter windows.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildK6Script } from '../../k6/build.ts';
import { loadScenario } from '../../bin/cli/load-scenario.ts';
import { stream } from '../../core/random/streams.ts';
import { retryWaitMs } from '../../scenarios/kit/retry.ts';
import { FIXTURES, type LiveInProcess, ROOT, runAgainstMock, tempDir } from './helpers.ts';

// A low scale, so the harness's wall-clock noise (tens of ms under a loaded test run) stays far
// under the 300 ms the check allows in provider time.
const TIME_SCALE = 2;
const FIXTURE = join(FIXTURES, 'retry-jitter.ts');
// The last 4 s of the 6 s run: whole-run iterations 20..59 are the window's 0..39.
const WINDOW = { fromMs: 2_000, toMs: 6_000, vuCounters: {} };

let live: LiveInProcess;
let seed: string;
beforeAll(async () => {
  const scenario = await loadScenario(FIXTURE, ROOT);
  seed = scenario.seed;
  const path = join(tempDir(), 'window.js');
  await buildK6Script({ scenario, scenarioPath: FIXTURE, variant: 'baseline', timeScale: TIME_SCALE, target: 'http://127.0.0.1:9', outFile: path, window: WINDOW });
  live = await runAgainstMock({ path, scenario }, 'baseline', TIME_SCALE);
});
afterAll(async () => {
  await live.app.close();
});

it('retries in a window wait retry-after plus the jitter of the whole run\'s iteration', () => {
  const rows = live.rows();
  const firsts = rows.filter((r) => r.attempt === 0);
  expect(firsts.map((r) => Number(r.session.slice(1))).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, k) => 20 + k));
  const refused = firsts.filter((r) => r.status === 429);
  // Four admitted a second against ten sent: most first attempts are refused and retried.
  expect(refused.length).toBeGreaterThanOrEqual(16);
  const client = { retryOn429: true, maxRetries: 1, retryJitterMs: 2_000 };
  const wait = (first: (typeof rows)[number], k: number): number => retryWaitMs(client, 429, 0, first.retryAfterMs, () => stream(seed, `retry:bursty:${k}:0`)) ?? Number.NaN;
  // A retry due after the run's end is not sent (the simulator's rule): those due well inside it,
  // in scenario time (iteration i is sent at i × 100 ms; the harness's provider clock starts at
  // its first request, not at the window's start).
  const due = refused.filter((r) => {
    const iteration = Number(r.session.slice(1));
    return iteration * 100 + wait(r, iteration) < WINDOW.toMs - 200;
  });
  expect(due.length).toBeGreaterThanOrEqual(8);
  let farFromWindowDraw = 0;
  for (const first of due) {
    const iteration = Number(first.session.slice(1));
    const retry = rows.find((r) => r.session === first.session && r.attempt === 1);
    expect(retry, first.session).toBeDefined();
    const gapMs = (retry?.atMs ?? 0) - first.atMs;
    // The gap is the wait plus the refusal's own round trip (a few wall ms, ×2 in provider time).
    expect(Math.abs(gapMs - wait(first, iteration)), `${first.session}: gap ${gapMs} ms, wait ${wait(first, iteration)} ms`).toBeLessThan(300);
    if (Math.abs(gapMs - wait(first, iteration - 20)) >= 300) farFromWindowDraw++;
  }
  // The check above can tell the two streams apart: most draws of the window's own count are far.
  expect(farFromWindowDraw).toBeGreaterThanOrEqual(due.length / 2);
});
