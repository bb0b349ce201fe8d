// Every built-in scenario on real k6 (issue 11, item 2): the moment each incident is about, as a
// window started from the simulator's state (`cachecast live --window`, issue 12), for the
// baseline and one fix variant each. The whole runs are hours to days of provider time, which no
// scale this machine drives fits into CI's budget (README, "How closely live agrees with the
// simulator"). Each case runs on one k6 version, alternating, so both versions run half of the
// cases and every scenario meets both; the whole-scenario file (scenarios.live.test.ts) and the
// burst file run on both.
//
// Checked per window: every first attempt the simulator sends in it was sent and its retries are
// within the live tolerance (none dropped, none answered with an error the scenario did not ask
// for), no row before the window's start, and hit rate and cost per request within the README's
// live tolerance of the same window simulated from the same state.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
import type { Totals } from '../../core/ledger/run-summary.ts';
import type { CachecastK6Figures } from '../../k6/bundle/summary.ts';
import { runCli } from '../cli/helpers.ts';
import { k6Binaries } from './k6-binaries.ts';
import { CASES, LIVE_TOLERANCE as TOLERANCE, requestFailures } from './window-cases.ts';

const binaries = k6Binaries();
const runs = CASES.map((c, i) => ({ ...c, k6: binaries[i % binaries.length] }));

describe.each(runs)('$scenario/$variant, window $window at ×$timeScale ($moment), k6 $k6.version', ({ scenario, variant, window, timeScale, atLeast, k6 }) => {
  it('sends every request of the window and matches the same window simulated from the same state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachecast-window-'));
    const run = await runCli(['live', scenario, '--variant', variant, '--window', window, '--time-scale', String(timeScale), '--k6', k6.path, '--out', dir]);
    // A window's expectations are the whole run's and need not hold in it; anything else fails.
    if (run.error !== undefined) expect(`${(run.error as { code?: string }).code}: ${run.error.message}`).toMatch(/^CC_ERR_EXPECTATION_FAILED: /);
    const figures = JSON.parse(readFileSync(join(dir, 'window.json'), 'utf8')) as { fromIso: string; simulated: Totals; live: Totals; firstAttempts: { simulated: number; live: number } };
    const k6Figures = (JSON.parse(readFileSync(join(dir, 'k6-summary.json'), 'utf8')) as { cachecast: CachecastK6Figures }).cachecast;
    const rows = readFileSync(join(dir, 'ledger.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LedgerRow);
    const requests = rows.filter((r): r is RequestRow => r.kind === 'request');
    const { simulated, live } = figures;
    process.stdout.write(
      `window ${scenario}/${variant} ${window} ×${timeScale} k6 ${k6.version}: ${live.requests} requests (simulator ${simulated.requests}), dropped ${k6Figures.droppedIterations}; ` +
        `hit rate ${(simulated.hitRate * 100).toFixed(2)} → ${(live.hitRate * 100).toFixed(2)} %; cost/request $${simulated.costPerRequestUsd.toFixed(6)} → $${live.costPerRequestUsd.toFixed(6)}\n`,
    );
    expect(k6Figures.droppedIterations).toBe(0);
    expect(k6Figures.unexpectedResponses).toBe(0);
    // Every first attempt sent; retries (which follow 429s) within the tolerance.
    expect(figures.firstAttempts.live).toBe(requests.filter((r) => r.attempt === 0).length);
    expect(requestFailures({ requests: simulated.requests, firstAttempts: figures.firstAttempts.simulated }, { requests: live.requests, firstAttempts: figures.firstAttempts.live })).toEqual([]);
    expect(requests.every((r) => r.status !== 499)).toBe(true);
    if (atLeast !== undefined) expect(requests.filter((r) => r.class === atLeast.class).length).toBeGreaterThanOrEqual(atLeast.rows);
    // Provider time starts at the window: no row before it.
    expect(Math.min(...requests.map((r) => r.atMs))).toBeGreaterThanOrEqual(Date.parse(figures.fromIso));
    expect(Math.abs(live.hitRate - simulated.hitRate) * 100).toBeLessThanOrEqual(TOLERANCE.hitRatePoints);
    expect(Math.abs(live.costPerRequestUsd / simulated.costPerRequestUsd - 1)).toBeLessThanOrEqual(TOLERANCE.costPerRequestShare);
  });
});
