// Real k6 (issue 11, item 5): k6's CPU per request on a cached 12k-token prompt (goal ≤ 1 ms),
// the mock provider's beside it, and from the two the request rate one machine's cores can drive
// with headroom, against `cachecast live`'s --max-rps default. k6 also spends CPU initialising
// each VU (it runs the bundle's init code once per VU), which is not per request: it is measured
// apart, by running the same bundle with as many VUs and nothing to do, and subtracted. The mock's
// figure is the difference between a 12 s and a 2 s run (the build and the plan cancel out).
// Also prints how closely the run agrees with the simulator (the README's tolerance comes from
// the live suite).

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { K6_DEFAULTS } from '../../k6/defaults.ts';
import { runCli, tempDir } from '../cli/helpers.ts';
import { k6Binaries } from '../live/k6-binaries.ts';
import { RATE, SPANS } from './fixtures/k6-cost.ts';

const SCENARIO = join(import.meta.dirname, 'fixtures/k6-cost.ts');
/** Share of the cores a sustained live run may use: the rest absorbs bursts and the OS. */
const HEADROOM = 0.7;

/** A k6 that reports its own CPU: bash's `times` after it prints the children's user and system time. */
const cpuReportingK6 = (k6: string, dir: string): { path: string; cpuSeconds: () => number } => {
  mkdirSync(dir, { recursive: true });
  const report = join(dir, 'k6-cpu.txt');
  const path = join(dir, 'k6');
  writeFileSync(path, `#!/usr/bin/env bash\n"${k6}" "$@"; rc=$?; times > "${report}"; exit $rc\n`);
  chmodSync(path, 0o755);
  const seconds = (text: string): number => {
    const m = /(\d+)m([\d.]+)s/.exec(text);
    return m === null ? Number.NaN : Number(m[1]) * 60 + Number(m[2]);
  };
  return {
    path,
    cpuSeconds: () => {
      const children = readFileSync(report, 'utf8').trim().split('\n')[1] ?? '';
      const [user, system] = children.split(/\s+/);
      return seconds(user) + seconds(system);
    },
  };
};

interface Measured {
  requests: number;
  k6CpuMs: number;
  /** k6's CPU to start the same bundle with the run's VUs and send nothing. */
  k6InitCpuMs: number;
  vus: number;
  mockCpuMs: number;
  out: string;
}

/** k6 CPU of the run's bundle with `vus` VUs each doing nothing: start-up and VU initialisation. */
const initOnlyCpuMs = (k6: string, dir: string, vus: number): number => {
  const harness = join(dir, 'init-only.js');
  writeFileSync(
    harness,
    `require('./out/k6-script.js');\nexport const options = { scenarios: { init: { executor: 'per-vu-iterations', vus: ${vus}, iterations: 1, exec: 'noop' } } };\nexport function noop() {}\n`,
  );
  const reporting = cpuReportingK6(k6, join(dir, 'init'));
  const result = spawnSync(reporting.path, ['run', '--no-usage-report', '-q', harness], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`k6 init-only run failed: ${result.stderr}`);
  return reporting.cpuSeconds() * 1000;
};

const runOnce = async (k6: string, variant: keyof typeof SPANS): Promise<Measured> => {
  const dir = tempDir();
  const reporting = cpuReportingK6(k6, dir);
  const before = process.cpuUsage();
  const run = await runCli(['live', SCENARIO, '--variant', variant, '--time-scale', '1', '--k6', reporting.path, '--out', join(dir, 'out')]);
  const used = process.cpuUsage(before);
  // A degraded run (dropped iterations on a busy machine) still measures CPU per request sent.
  if (run.error !== undefined && run.error.code !== 'CC_ERR_LIVE_DEGRADED') throw run.error;
  if (run.error !== undefined) console.log(`  (${variant} run degraded: ${run.error.message})`);
  const requests = Number((/time scale 1; ([\d,]+) requests/.exec(run.out)?.[1] ?? 'NaN').replaceAll(',', ''));
  const summary = JSON.parse(readFileSync(join(dir, 'out', 'k6-summary.json'), 'utf8')) as { k6: { metrics: { vus_max: { values: { max: number } } } } };
  const vus = summary.k6.metrics.vus_max.values.max;
  return { requests, k6CpuMs: reporting.cpuSeconds() * 1000, k6InitCpuMs: initOnlyCpuMs(k6, dir, vus), vus, mockCpuMs: (used.user + used.system) / 1000, out: run.out };
};

export const benchK6Cost = async (): Promise<void> => {
  let binaries;
  try {
    binaries = k6Binaries();
  } catch (error) {
    console.log(`skipped: ${(error as Error).message}`);
    return;
  }
  const cores = availableParallelism();
  console.log(`cached 12k-token prompt, ${RATE} requests/s in real time, 20-token streamed answers; ${SPANS.long} s run − ${SPANS.short} s run; ${cores} cores`);
  for (const k6 of binaries) {
    const short = await runOnce(k6.path, 'short');
    const long = await runOnce(k6.path, 'long');
    const n = long.requests - short.requests;
    const k6PerRequest = (long.k6CpuMs - long.k6InitCpuMs) / long.requests;
    const k6PerVu = long.k6InitCpuMs / long.vus;
    const mockPerRequest = (long.mockCpuMs - short.mockCpuMs) / n;
    const maxRps = (HEADROOM * cores * 1000) / (k6PerRequest + mockPerRequest);
    const parity = /simulator +hit rate ([\d.]+) %, cost per request \$([\d.]+) \(live: ([\d.]+) %, \$([\d.]+)\)/.exec(long.out);
    console.log(`k6 ${k6.version}`);
    console.log(`  k6 CPU per request      ${k6PerRequest.toFixed(2)} ms (goal ≤ 1 ms: ${(k6PerRequest / 1).toFixed(2)}× the goal), beside ${k6PerVu.toFixed(1)} ms per VU initialised (${long.vus} VUs for ${long.requests} requests)`);
    console.log(`  mock CPU per request    ${mockPerRequest.toFixed(2)} ms (mock provider and cachecast live, in this process)`);
    console.log(`  drivable request rate   ~${Math.round(maxRps)} req/s on ${cores} cores at ${HEADROOM * 100} % (--max-rps default ${K6_DEFAULTS.maxRps}: ${(K6_DEFAULTS.maxRps / maxRps).toFixed(2)}× that)`);
    if (parity !== null) console.log(`  simulator → live        hit rate ${parity[1]} → ${parity[3]} %, cost/request $${parity[2]} → $${parity[4]} (${long.requests} requests)`);
  }
};
