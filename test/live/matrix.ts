// Every variant of every built-in scenario on every real k6 binary (issue 11, item 2): too long for
// CI (about 40 minutes on 2 cores), so it is a script, not a test file: `npm run live:matrix`.
// Each variant runs in its scenario's window (window-cases.ts) or, for ttl-economics, whole, as
// the live suite runs them, and is judged as the suite judges it: every request the simulator
// sends was sent, 0 dropped, no unexpected response, and hit rate and cost per request within the
// README's live tolerance. Prints one line per run and a Markdown table at the end; exits 1 if any
// run failed a check.
//
//   npm run live:matrix                                   # both k6 builds beside the repository
//   CACHECAST_K6_BINARIES=/usr/bin/k6 npm run live:matrix -- stampede eviction-pressure/ttl-1h

import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Totals } from '../../core/ledger/run-summary.ts';
import type { CachecastK6Figures } from '../../k6/bundle/summary.ts';
import { builtInScenarios, loadScenario } from '../../bin/cli/load-scenario.ts';
import { runCli } from '../cli/helpers.ts';
import { k6Binaries, ROOT } from './k6-binaries.ts';
import { LIVE_TOLERANCE as TOLERANCE, type RequestCounts, requestFailures, windowFor } from './window-cases.ts';

/** Scenarios short enough to run whole (scenarios.live.test.ts). */
const WHOLE: Record<string, number> = { 'ttl-economics': 600 };

interface Result {
  run: string;
  k6: string;
  requests: string;
  dropped: number | string;
  hitRate: string;
  cost: string;
  failures: string[];
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const usd = (x: number): string => `$${x.toFixed(6)}`;

const runOne = async (scenario: string, variant: string, k6: { version: string; path: string }): Promise<Result> => {
  const window = windowFor(scenario, variant);
  const scale = WHOLE[scenario] ?? window?.timeScale;
  if (scale === undefined) throw new Error(`no window for ${scenario} in window-cases.ts, and not run whole`);
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-matrix-'));
  const where = window !== undefined && WHOLE[scenario] === undefined ? ['--window', window.window] : [];
  const label = `${scenario}/${variant} ${where[1] ?? 'whole'} ×${scale}`;
  const run = await runCli(['live', scenario, '--variant', variant, ...where, '--time-scale', String(scale), '--k6', k6.path, '--out', dir], ROOT);
  const failures: string[] = [];
  const code = (run.error as { code?: string } | undefined)?.code;
  // A window's expectations are the whole run's; a whole run's must hold.
  if (run.error !== undefined && !(where.length > 0 && code === 'CC_ERR_EXPECTATION_FAILED')) failures.push(`${code ?? 'error'}: ${run.error.message.split('\n')[0]}`);
  try {
    const k6Figures = (JSON.parse(readFileSync(join(dir, 'k6-summary.json'), 'utf8')) as { cachecast: CachecastK6Figures }).cachecast;
    const { simulated, live, firstAttempts } =
      where.length > 0 ? (JSON.parse(readFileSync(join(dir, 'window.json'), 'utf8')) as { simulated?: Totals; live?: Totals; firstAttempts?: { simulated: number; live: number } }) : whole(dir, run.out);
    if (simulated === undefined || live === undefined) throw new Error('no simulated/live totals');
    if (k6Figures.droppedIterations !== 0) failures.push(`${k6Figures.droppedIterations} dropped`);
    if (k6Figures.unexpectedResponses !== 0) failures.push(`${k6Figures.unexpectedResponses} unexpected responses`);
    // A window: every first attempt sent, retries within the tolerance; a whole run: every request.
    if (firstAttempts === undefined) {
      if (live.requests !== simulated.requests) failures.push(`${live.requests} of ${simulated.requests} requests`);
    } else {
      const counts = (of: 'simulated' | 'live', t: { requests: number }): RequestCounts => ({ requests: t.requests, firstAttempts: firstAttempts[of] });
      failures.push(...requestFailures(counts('simulated', simulated), counts('live', live)));
    }
    if (Math.abs(live.hitRate - simulated.hitRate) * 100 > TOLERANCE.hitRatePoints) failures.push('hit rate outside 3 pt');
    if (simulated.costPerRequestUsd > 0 && Math.abs(live.costPerRequestUsd / simulated.costPerRequestUsd - 1) > TOLERANCE.costPerRequestShare) failures.push('cost outside 5 %');
    return {
      run: label,
      k6: k6.version,
      requests: `${live.requests} (${simulated.requests})${firstAttempts === undefined || live.requests === simulated.requests ? '' : `, first attempts ${firstAttempts.live} (${firstAttempts.simulated})`}`,
      dropped: k6Figures.droppedIterations,
      hitRate: `${pct(simulated.hitRate)} → ${pct(live.hitRate)}`,
      cost: `${usd(simulated.costPerRequestUsd)} → ${usd(live.costPerRequestUsd)}`,
      failures,
    };
  } catch (error) {
    return { run: label, k6: k6.version, requests: '-', dropped: '-', hitRate: '-', cost: '-', failures: [...failures, `no figures: ${(error as Error).message}`] };
  }
};

/** A whole run's totals, and the simulator's as the live command prints them beside it. */
const whole = (dir: string, out: string): { simulated?: Pick<Totals, 'requests' | 'hitRate' | 'costPerRequestUsd'>; live?: Totals; firstAttempts?: undefined } => {
  const live = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { totals: Totals }).totals;
  const requests = /requests \(simulator: ([\d,]+)\)/.exec(out);
  const parity = /simulator +hit rate ([\d.]+) %, cost per request \$([\d.]+)/.exec(out);
  if (requests === null || parity === null) return { live };
  return { live, simulated: { requests: Number(requests[1].replaceAll(',', '')), hitRate: Number(parity[1]) / 100, costPerRequestUsd: Number(parity[2]) } };
};

const main = async (): Promise<void> => {
  // `scenario` for all its variants, `scenario/variant` for one.
  const asked = process.argv.slice(2).map((arg) => arg.split('/'));
  const scenarios = asked.length > 0 ? [...new Set(asked.map(([name]) => name))] : builtInScenarios();
  const binaries = k6Binaries();
  const results: Result[] = [];
  for (const name of scenarios) {
    const scenario = await loadScenario(name, ROOT);
    const only = asked.filter(([n, v]) => n === name && v !== undefined).map(([, v]) => v);
    for (const variant of Object.keys(scenario.variants).filter((v) => only.length === 0 || only.includes(v))) {
      for (const k6 of binaries) {
        const result = await runOne(name, variant, k6);
        results.push(result);
        process.stdout.write(`${result.failures.length === 0 ? 'ok  ' : 'FAIL'} ${result.run} k6 ${result.k6}: ${result.requests} requests, dropped ${result.dropped}; hit rate ${result.hitRate}; cost/request ${result.cost}${result.failures.length === 0 ? '' : `; ${result.failures.join('; ')}`}\n`);
      }
    }
  }
  process.stdout.write('\n| scenario / variant, window, scale | k6 | requests live (simulator) | dropped | hit rate: simulator → live | cost per request: simulator → live | checks |\n| --- | --- | --- | --- | --- | --- | --- |\n');
  for (const r of results) process.stdout.write(`| ${r.run} | ${r.k6} | ${r.requests} | ${r.dropped} | ${r.hitRate} | ${r.cost} | ${r.failures.length === 0 ? 'pass' : r.failures.join('; ')} |\n`);
  const failed = results.filter((r) => r.failures.length > 0).length;
  process.stdout.write(`\n${results.length - failed} of ${results.length} runs passed (load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(', ')})\n`);
  process.exitCode = failed === 0 ? 0 : 1;
};

await main();
