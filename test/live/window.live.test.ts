// `cachecast live --window` on real k6: the simulator runs to the window's start, the mock provider
// starts from its state, k6 sends only the window's requests, and the live figures match the same
// window simulated from the same state. Windows of the two multi-day scenarios, each across its
// Saturday 00:00 change (a tokenizer upgrade; the blue/green swap), at time scale 60. Each runs on
// one k6 version, alternating, so the suite stays within CI's time (most of a run is the simulator
// reaching the window: two days of provider time).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
import type { Totals } from '../../core/ledger/run-summary.ts';
import { runCli } from '../cli/helpers.ts';
import { k6Binaries } from './k6-binaries.ts';

const binaries = k6Binaries();

const WINDOWS = [
  { scenario: 'tokenizer-upgrade', window: '47h50m..48h10m', from: '2026-03-06T23:50:00.000Z' },
  { scenario: 'warmup-cron-blue-green', window: '47h50m..48h10m', from: '2026-09-04T23:50:00.000Z' },
].map((w, i) => ({ ...w, k6: binaries[i % binaries.length] }));

describe.each(WINDOWS)('$scenario, window $window, on k6 $k6.version', ({ scenario, window, from, k6 }) => {
  it('starts warm from the simulator state and matches the same window simulated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachecast-window-'));
    const run = await runCli(['live', scenario, '--window', window, '--time-scale', '60', '--k6', k6.path, '--out', dir]);
    expect(run.error).toBeUndefined();
    const figures = JSON.parse(readFileSync(join(dir, 'window.json'), 'utf8')) as { fromIso: string; simulated: Totals; live: Totals };
    expect(figures.fromIso).toBe(from);
    const rows = readFileSync(join(dir, 'ledger.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LedgerRow);
    const requests = rows.filter((r): r is RequestRow => r.kind === 'request');
    // Provider time starts at the window: no row before it.
    expect(Math.min(...requests.map((r) => r.atMs))).toBeGreaterThanOrEqual(Date.parse(from));
    const { simulated, live } = figures;
    expect(live.requests).toBe(simulated.requests);
    // Warm: the prefixes cached before the window are read live, as in the simulator.
    expect(simulated.cacheReadTokens).toBeGreaterThan(0);
    expect(Math.abs(live.hitRate - simulated.hitRate)).toBeLessThan(0.02);
    expect(Math.abs(live.costPerRequestUsd / simulated.costPerRequestUsd - 1)).toBeLessThan(0.03);
    process.stdout.write(`${scenario} ${window} k6 ${k6.version}: ${live.requests} requests; hit rate sim ${(simulated.hitRate * 100).toFixed(2)} % live ${(live.hitRate * 100).toFixed(2)} %; cost/request sim $${simulated.costPerRequestUsd.toFixed(6)} live $${live.costPerRequestUsd.toFixed(6)}\n`);
  });
});
