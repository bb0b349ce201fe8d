// A scenario's traffic as k6 `options.scenarios`: the same executor names and meanings, every
// start time, duration and rate divided by the time scale (60: one wall second is one provider
// minute). k6 refuses a `duration` under 1 s for constant-arrival-rate and constant-vus, which a
// compressed 200 ms burst easily is; such an executor is written as its ramping twin with one
// level stage, which k6 runs identically and allows at any length. Every such change is noted.

import type { Scenario as K6Scenario } from 'k6/options';
import { formatDuration, parseDuration } from '../../scenarios/kit/durations.ts';
import type { Executor } from '../../scenarios/kit/format.ts';
import { constantRateIterations, fitArrivalRates } from './arrival-rates.ts';

/** k6's minimum for `duration` (constant-vus, constant-arrival-rate) and `maxDuration`. */
export const K6_MIN_DURATION_MS = 1_000;

/** The exported function a traffic entry runs: k6 needs a JavaScript identifier. */
export const execName = (index: number, trafficName: string): string => `traffic${index}_${trafficName.replace(/[^A-Za-z0-9_]/g, '_')}`;

export interface MappedScenarios {
  scenarios: Record<string, K6Scenario>;
  /** Where the k6 form differs from a plain division by the time scale, and why. */
  notes: string[];
}

/** Provider milliseconds → a k6 duration on the wall, whole milliseconds. */
const wall = (providerMs: number, timeScale: number): string => formatDuration(Math.round(providerMs / timeScale));

/**
 * VUs for an arrival-rate executor: k6 drops an iteration when no VU is free. A request takes up
 * to ~30 s of provider time (prefill of a long prompt plus decoding); on the wall that is
 * 30 s / scale, plus the loopback round trip. Capped by the iterations the executor can start.
 */
const vusFor = (peakPerWallSec: number, totalIterations: number, timeScale: number): { preAllocatedVUs: number; maxVUs: number } => {
  const busyWallSec = 30 / timeScale + 0.05;
  const cap = Math.max(1, Math.min(totalIterations, 5_000));
  const preAllocatedVUs = Math.max(1, Math.min(cap, Math.ceil(peakPerWallSec * busyWallSec)));
  const maxVUs = Math.max(preAllocatedVUs, Math.min(cap, Math.ceil(peakPerWallSec * busyWallSec * 4)));
  return { preAllocatedVUs, maxVUs };
};

const arrivalRate = (name: string, e: Extract<Executor, { executor: 'constant-arrival-rate' | 'ramping-arrival-rate' }>, timeScale: number, notes: string[]) => {
  const unitMs = parseDuration(e.timeUnit ?? '1s');
  if (e.executor === 'constant-arrival-rate') {
    const durationMs = parseDuration(e.duration);
    let fitted = fitArrivalRates([e.rate], unitMs, [durationMs], timeScale);
    const iterations = constantRateIterations(e.rate, unitMs, durationMs);
    if (!fitted.exact) {
      // Keep the count exact rather than the rate: `iterations` spread over the rounded duration.
      const wallMs = Math.max(1, fitted.durationsMs[0]);
      fitted = { rates: [iterations], timeUnitMs: wallMs, durationsMs: [wallMs], exact: false };
      notes.push(`${name}: ${e.rate} per ${formatDuration(unitMs)} for ${formatDuration(durationMs)} ÷ ${timeScale} is not whole milliseconds; sent as ${iterations} iterations over ${formatDuration(wallMs)} (same count, rate within ${((0.5 / wallMs) * 100).toFixed(2)} %)`);
    }
    const [rate] = fitted.rates;
    const wallDurationMs = fitted.durationsMs[0];
    const vus = vusFor((rate / fitted.timeUnitMs) * 1000, iterations, timeScale);
    if (wallDurationMs >= K6_MIN_DURATION_MS) {
      return { executor: 'constant-arrival-rate' as const, rate, timeUnit: formatDuration(fitted.timeUnitMs), duration: formatDuration(wallDurationMs), ...vus };
    }
    notes.push(`${name}: constant-arrival-rate for ${formatDuration(wallDurationMs)} on the wall is under k6's 1s minimum; sent as ramping-arrival-rate holding the same rate for that long`);
    return {
      executor: 'ramping-arrival-rate' as const,
      startRate: rate,
      timeUnit: formatDuration(fitted.timeUnitMs),
      stages: [{ target: rate, duration: formatDuration(wallDurationMs) }],
      ...vus,
    };
  }
  const stageMs = e.stages.map((s) => parseDuration(s.duration));
  const fitted = fitArrivalRates([e.startRate ?? 0, ...e.stages.map((s) => s.target)], unitMs, stageMs, timeScale);
  if (!fitted.exact) notes.push(`${name}: rates or stage durations ÷ ${timeScale} rounded to whole iterations per ${formatDuration(fitted.timeUnitMs)} and whole milliseconds`);
  const [startRate, ...targets] = fitted.rates;
  // Iterations over the stages: the area under the piecewise-linear rate.
  let total = 0;
  let from = e.startRate ?? 0;
  e.stages.forEach((s, i) => {
    total += ((from + s.target) / 2) * (stageMs[i] / unitMs);
    from = s.target;
  });
  const peakPerWallSec = (Math.max(startRate, ...targets) / fitted.timeUnitMs) * 1000;
  return {
    executor: 'ramping-arrival-rate' as const,
    startRate,
    timeUnit: formatDuration(fitted.timeUnitMs),
    stages: targets.map((target, i) => ({ target, duration: formatDuration(fitted.durationsMs[i]) })),
    ...vusFor(peakPerWallSec, Math.ceil(total), timeScale),
  };
};

const vuBased = (name: string, e: Extract<Executor, { executor: 'constant-vus' | 'ramping-vus' | 'per-vu-iterations' }>, timeScale: number, notes: string[]) => {
  switch (e.executor) {
    case 'constant-vus': {
      const wallMs = Math.round(parseDuration(e.duration) / timeScale);
      if (wallMs >= K6_MIN_DURATION_MS) return { executor: 'constant-vus' as const, vus: e.vus, duration: formatDuration(wallMs) };
      notes.push(`${name}: constant-vus for ${formatDuration(wallMs)} on the wall is under k6's 1s minimum; sent as ramping-vus holding ${e.vus} VUs for that long`);
      return { executor: 'ramping-vus' as const, startVUs: e.vus, stages: [{ target: e.vus, duration: formatDuration(Math.max(1, wallMs)) }] };
    }
    case 'ramping-vus':
      return {
        executor: 'ramping-vus' as const,
        startVUs: Math.round(e.startVUs ?? 0),
        stages: e.stages.map((s) => ({ target: Math.round(s.target), duration: wall(parseDuration(s.duration), timeScale) })),
      };
    case 'per-vu-iterations': {
      const maxMs = Math.round(parseDuration(e.maxDuration ?? '10m') / timeScale);
      if (maxMs < K6_MIN_DURATION_MS) notes.push(`${name}: maxDuration ${formatDuration(maxMs)} on the wall raised to k6's 1s minimum (it only caps the executor)`);
      return { executor: 'per-vu-iterations' as const, vus: e.vus, iterations: e.iterations, maxDuration: formatDuration(Math.max(K6_MIN_DURATION_MS, maxMs)) };
    }
  }
};

/** The k6 scenarios for a scenario's traffic at a time scale, each running its `execName`. */
export const toK6Scenarios = (traffic: Record<string, Executor>, timeScale: number): MappedScenarios => {
  const scenarios: Record<string, K6Scenario> = {};
  const notes: string[] = [];
  Object.entries(traffic).forEach(([name, e], index) => {
    const body =
      e.executor === 'constant-arrival-rate' || e.executor === 'ramping-arrival-rate'
        ? arrivalRate(name, e, timeScale, notes)
        : vuBased(name, e, timeScale, notes);
    const startMs = parseDuration(e.startTime ?? 0);
    scenarios[name] = { ...body, exec: execName(index, name), ...(startMs > 0 ? { startTime: wall(startMs, timeScale) } : {}) };
  });
  return { scenarios, notes };
};
