// What a live run will ask of this machine, before it starts: the simulator runs the same scenario
// variant in virtual time (a second or two), and its rows give the model's own latency, so the k6
// executors get VUs for the requests they will really have in flight, and a time scale whose peak
// wall request rate this machine cannot drive is refused (or, with `--time-scale auto`, avoided).
// The simulator's summary is kept: it is the reference a live run is compared with.

import type { Scenario, ScenarioSpec } from '../scenarios/kit/format.ts';
import { arrivalStages, scenarioDurationMs } from '../scenarios/kit/timeline.ts';
import { specFor } from '../scenarios/kit/validate.ts';
import type { RunSummary } from '../core/ledger/run-summary.ts';
import { runScenario } from '../simulator/run.ts';
import { isBurst, type VuSizing } from './bundle/k6-scenarios.ts';

/**
 * Wall milliseconds a request may spend in k6 and the mock provider beyond the model's latency.
 * Measured on the 2-core machine shared with other work that runs this project's CI: median
 * 300 ms to 1 s, p99 2.3 to 6 s (http_req_duration of ttl-economics at 1800×, whose model latency
 * is ~1 ms on the wall). VUs are cheap beside dropped iterations, so the sizing takes the tail.
 * Pre-allocating for a 1 s overhead instead saved k6 CPU (236 VUs instead of 600 for 50 requests a
 * second: 5.7-6.4 ms of CPU per request instead of 7.7-8.6, `npm run bench`), but under load k6
 * could not initialise VUs fast enough mid-test and dropped 256 of a migration window's 573
 * iterations. Sending the traffic comes first.
 */
export const OVERHEAD_WALL_MS = 8_000;

/** Time scales `--time-scale auto` chooses from, largest first. */
export const AUTO_SCALES = [3600, 1800, 1200, 600, 300, 240, 120, 60, 30, 20, 10, 5, 2, 1] as const;

export interface LivePlan {
  /** The simulator's run of the same variant: the reference. */
  simulated: RunSummary;
  /** Provider ms a VU is busy per request: p99 of latency plus retry wait over the simulated rows. */
  busyProviderMs: number;
  /** Provider seconds the traffic lasts (the wall seconds at scale 1). */
  providerSeconds: number;
  /**
   * Requests the simulator sends before any retry, when that count is fixed (every executor an
   * arrival rate or per-vu-iterations); undefined when a VU loop makes it depend on latency.
   */
  firstAttempts: number | undefined;
}

/** Whether every executor starts a fixed number of iterations (VU loops iterate as answers come). */
export const fixedIterations = (spec: ScenarioSpec): boolean =>
  Object.values(spec.traffic).every((e) => e.executor !== 'constant-vus' && e.executor !== 'ramping-vus');

const p99 = (values: number[]): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
};

export const planLive = async (scenario: Scenario, variant: string): Promise<LivePlan> => {
  const busy: number[] = [];
  let firstAttempts = 0;
  const simulated = await runScenario({
    scenario,
    variant,
    sink: (row) => {
      if (row.kind !== 'request') return;
      busy.push(row.latencyMs + row.retryAfterMs);
      if (row.attempt === 0) firstAttempts++;
    },
  });
  const spec = specFor(scenario, variant);
  const endMs = scenarioDurationMs(spec);
  return { simulated, busyProviderMs: p99(busy), providerSeconds: endMs / 1000, firstAttempts: fixedIterations(spec) ? firstAttempts : undefined };
};

/** The VU sizing a plan gives the bundle (the same numbers in Node and in k6). */
export const sizingOf = (plan: LivePlan): VuSizing => ({ busyProviderMs: Math.ceil(plan.busyProviderMs), overheadWallMs: OVERHEAD_WALL_MS });

/**
 * Peak wall requests per second at a scale, the scenario's own bursts apart (shorter than a second
 * even in real time, like the stampede's herd: their own VUs send them, all at once). Traffic that
 * only a large scale compresses below a second still counts at its rate: 20 s of 3 a second at
 * 3600× is not a burst the machine can absorb, it is 10,800 a second.
 */
export const peakWallRps = (scenario: Scenario, variant: string, timeScale: number): number => {
  const spec = specFor(scenario, variant);
  let peak = 0;
  for (const e of Object.values(spec.traffic)) {
    const stages = arrivalStages(e);
    if (stages === undefined || isBurst(e, 1)) continue;
    peak += Math.max(...stages.map((s) => Math.max(s.fromPerMs, s.toPerMs)));
  }
  return peak * 1000 * timeScale;
};

/** The largest of AUTO_SCALES whose peak wall rate is within `maxRps`, or undefined when none is. */
export const largestFeasibleScale = (scenario: Scenario, variant: string, maxRps: number): number | undefined =>
  AUTO_SCALES.find((scale) => peakWallRps(scenario, variant, scale) <= maxRps);
