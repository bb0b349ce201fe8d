// Real k6 (issue 11, item 5): k6's CPU per request on a cached 12k-token prompt (goal ≤ 1 ms).
//
// The figure is the marginal cost: the same 10 s run at 50 and 200 requests/s with the same VUs,
// twice, interleaved, k6's CPU fitted against the requests sent (least squares), so k6's start-up, its VUs and its work per
// second (metric ticks, the progress display, timers) cancel out. Divided by the requests of one
// run instead, at 50 requests a second those fixed costs dominate: that average is printed beside
// it, labelled. A bare k6 script posting the same request with no cachecast code is measured the
// same way: the floor any k6 script pays on this machine. Apart: what a VU costs (the same run
// with 100 and with 400 VUs) and what initialising one costs (VUs with nothing to do), and the
// mock provider's marginal CPU beside k6's. From the two marginal figures, the rate 70 % of the
// cores could drive; the bench then runs `cachecast live` at the largest fixture rate under that
// estimate and prints whether k6 sent every request (a rate is only claimed when it did).

import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { K6_DEFAULTS } from '../../k6/defaults.ts';
import { runCli, tempDir } from '../cli/helpers.ts';
import { k6Binaries } from '../live/k6-binaries.ts';
import { RATES, SECONDS, variantOf } from './fixtures/k6-cost.ts';
import { FIXTURE, type K6Run, startBench } from './k6-runs.ts';
import { measureK6Stages } from './k6-stages.ts';

/** Share of the cores a sustained live run may use: the rest absorbs bursts and the OS. */
const HEADROOM = 0.7;
const MARGINAL_RATES = [50, 200] as const;
const ROUNDS = 2;
/** Enough for 200 requests a second of ~1 s answers, with room for a slow second. */
const VUS = 400;
const FEW_VUS = 100;

/** Least-squares slope of y against x: CPU ms per request. */
const slope = (points: Array<{ x: number; y: number }>): number => {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxy / sxx;
};

const load = (): string => loadavg().map((x) => x.toFixed(1)).join(', ');
const ms = (x: number): string => `${x.toFixed(2)} ms`;
const dropped = (runs: K6Run[]): string => {
  const total = runs.reduce((a, r) => a + r.dropped, 0);
  return total === 0 ? '' : ` (${total} iterations dropped: the machine is busy, figures are rough)`;
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
  console.log(`cached 12k-token prompt, 20-token streamed answers; ${SECONDS} s runs at ${MARGINAL_RATES.join(', ')} requests/s with ${VUS} VUs; ${cores} cores; load ${load()}`);
  const bench = await startBench();
  try {
    for (const k6 of binaries) {
      // Interleaved rounds: one run's k6 CPU varies by a second or more on this shared machine.
      const bundle: K6Run[] = [];
      const bare: K6Run[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const rate of MARGINAL_RATES) {
          bundle.push(await bench.run(k6.path, 'bundle', rate, VUS));
          bare.push(await bench.run(k6.path, 'bare', rate, VUS));
        }
      }
      const fewVus = await bench.run(k6.path, 'bundle', MARGINAL_RATES[0], FEW_VUS);
      const initMs = await bench.initOnly(k6.path, VUS);
      const initFewMs = await bench.initOnly(k6.path, FEW_VUS);
      const marginal = slope(bundle.map((r) => ({ x: r.requests, y: r.k6CpuMs })));
      const bareMarginal = slope(bare.map((r) => ({ x: r.requests, y: r.k6CpuMs })));
      // Each round's own slope: how far one round can be trusted.
      const perRound = (runs: K6Run[]): string => {
        const slopes = Array.from({ length: ROUNDS }, (_, i) => slope(runs.slice(i * MARGINAL_RATES.length, (i + 1) * MARGINAL_RATES.length).map((r) => ({ x: r.requests, y: r.k6CpuMs }))));
        return `${Math.min(...slopes).toFixed(2)}–${Math.max(...slopes).toFixed(2)}`;
      };
      const mockMarginal = slope(bundle.map((r) => ({ x: r.requests, y: r.mockCpuMs })));
      const perVu = (bundle[0].k6CpuMs - fewVus.k6CpuMs) / (VUS - FEW_VUS);
      const initPerVu = (initMs - initFewMs) / (VUS - FEW_VUS);
      // k6's CPU a second that is neither a request nor a VU: the fit's intercept less the VUs, over the run.
      const fixedPerSecond = (bundle[0].k6CpuMs - marginal * bundle[0].requests - VUS * perVu) / SECONDS;
      const drivable = (HEADROOM * cores * 1000 - fixedPerSecond) / (marginal + mockMarginal);
      console.log(`k6 ${k6.version}${dropped([...bundle, ...bare, fewVus])}`);
      console.log(`  k6 CPU per request, marginal   ${ms(marginal)} (rounds ${perRound(bundle)}; goal ≤ 1 ms: ${marginal.toFixed(2)}× the goal); bare k6 posting the same request ${ms(bareMarginal)} (rounds ${perRound(bare)}): cachecast adds ${ms(marginal - bareMarginal)}`);
      console.log(`  average at ${MARGINAL_RATES[0]} requests/s      ${ms(bundle[0].k6CpuMs / bundle[0].requests)} (bare ${ms(bare[0].k6CpuMs / bare[0].requests)}): the whole run's k6 CPU ÷ its requests, start-up and ${VUS} VUs included`);
      console.log(`  per VU                         ${ms(perVu)} over a ${SECONDS} s run, of which ${ms(initPerVu)} to initialise it; idle ~${((perVu - initPerVu) / SECONDS).toFixed(2)} ms a second`);
      console.log(`  k6 CPU per second, fixed       ~${Math.round(fixedPerSecond)} ms (neither requests nor VUs)`);
      console.log(`  mock CPU per request, marginal ${ms(mockMarginal)}`);
      // How much of what cachecast adds is its own JavaScript: the rest is k6 handling the
      // request's tags, headers and metric samples, in Go.
      const stages = await measureK6Stages(k6.path, bench.target);
      const ownMs = (stages.build + stages.encode + stages.decode + stages.metrics) / 1000;
      console.log(
        `  bundle JavaScript per request  ${ms(ownMs)}: build ${stages.build.toFixed(0)} µs, encode ${stages.encode.toFixed(0)} µs (${Math.round(stages.requestBytes / 1000)} kB), ` +
          `decode ${stages.decode.toFixed(0)} µs (${(stages.answerBytes / 1000).toFixed(1)} kB stream), metrics ${stages.metrics.toFixed(0)} µs; of the ${ms(marginal - bareMarginal)} cachecast adds, k6's own handling ~${ms(marginal - bareMarginal - ownMs)}`,
      );
      const claim = [...RATES].filter((r) => r <= drivable).pop();
      let verdict = 'no fixture rate under the estimate';
      if (claim !== undefined) {
        const dir = tempDir();
        const run = await runCli(['live', FIXTURE, '--variant', variantOf(claim), '--time-scale', '1', '--max-rps', String(claim), '--k6', k6.path, '--out', join(dir, 'out')]);
        const sent = /time scale 1; ([\d,]+) requests \(simulator: ([\d,]+)\), ([\d,]+) dropped/.exec(run.out);
        verdict = sent === null ? `live run at ${claim}/s failed: ${run.error?.message.split('\n')[0]}` : `live at ${claim}/s: ${sent[1]} of ${sent[2]} requests, ${sent[3]} dropped${run.error === undefined ? '' : ` (${run.error.message.split('\n')[0]})`}`;
      }
      console.log(`  drivable rate (estimate)       ~${Math.round(drivable)} req/s on ${cores} cores at ${HEADROOM * 100} % (--max-rps default ${K6_DEFAULTS.maxRps}); ${verdict}; load ${load()}`);
    }
  } finally {
    await bench.close();
  }
};
