// A scenario's traffic as k6 `options.scenarios`: the same executor names and meanings, every
// start time, duration and rate divided by the time scale (60: one wall second is one provider
// minute). k6 refuses a `duration` under 1 s for constant-arrival-rate and constant-vus, which a
// compressed 200 ms burst easily is; such an executor is written as its ramping twin with one
// level stage, which k6 runs identically and allows at any length. Every such change is noted.

import type { Scenario as K6Scenario } from 'k6/options';
import { formatDuration, parseDuration } from '../../scenarios/kit/durations.ts';
import type { Executor } from '../../scenarios/kit/format.ts';
import { constantRateIterations, fitArrivalRates } from './arrival-rates.ts';
import { arrivalCount, arrivalStages } from '../../scenarios/kit/timeline.ts';
import { START_LEAD_WALL_MS } from './test-start.ts';

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
 * How long a VU stays busy with one iteration, for sizing arrival-rate executors: the model's own
 * latency (p99 of arrival to last token plus any retry wait, in provider time, measured by
 * `cachecast live` from the simulator) and the wall overhead of a request through k6 and the mock
 * provider on loopback. Without a measurement, 30 s of provider time: the longest prefill plus decode.
 */
export interface VuSizing {
  busyProviderMs: number;
  overheadWallMs: number;
}

export const DEFAULT_SIZING: VuSizing = { busyProviderMs: 30_000, overheadWallMs: 50 };

/** Burst executors with more iterations than this stay arrival rates (one VU per iteration is too many). */
export const MAX_BURST_VUS = 5_000;

/** Fewest VUs pre-allocated for an arrival-rate executor (capped by its iterations). */
const MIN_VUS = 20;

/**
 * VUs for an arrival-rate executor: k6 drops an iteration when no VU is free. Requests in flight
 * are the wall rate times the wall time a VU is busy: (rate × scale) × (busy ÷ scale + overhead).
 * Half as many again are pre-allocated (k6 initialises VUs beyond that mid-test, slowly, and drops
 * iterations meanwhile), ten times as many allowed. Capped by the iterations the executor starts.
 */
const vusFor = (peakPerWallSec: number, totalIterations: number, timeScale: number, sizing: VuSizing): { preAllocatedVUs: number; maxVUs: number } => {
  // Each iteration is started up to START_LEAD_WALL_MS before its arrival (test-start.ts), and holds its VU meanwhile.
  const busyWallSec = sizing.busyProviderMs / timeScale / 1000 + (sizing.overheadWallMs + START_LEAD_WALL_MS) / 1000;
  const inFlight = peakPerWallSec * busyWallSec;
  const cap = Math.max(1, Math.min(totalIterations, 5_000));
  // At least 20: each executor has its own pool, and on a busy machine even one arrival a wall
  // second meets iterations of 15 to 30 s (ttl-economics at 600× on k6 v0.48 under load 20).
  const preAllocatedVUs = Math.max(1, Math.min(cap, Math.max(MIN_VUS, Math.ceil(inFlight * 1.5) + 1)));
  // k6 initialises VUs beyond the pre-allocated only when it needs them: a generous cap costs
  // nothing until responses slow down, and then it is what keeps iterations from being dropped.
  const maxVUs = Math.max(preAllocatedVUs, Math.min(cap, Math.ceil(inFlight * 10) + 20));
  return { preAllocatedVUs, maxVUs };
};

/**
 * Wall time an arrival-rate executor runs past its last arrival. k6 starts arrival-rate iterations
 * from one timer loop that returns when the executor's duration is over (lib/executor,
 * `case <-regDurationDone: return nil`): on a starved machine the loop falls behind, and the
 * iterations it still owes at the end are neither started nor counted as dropped (a batch window
 * under load 6 started 883 of its 934, 0 dropped). The extra time lets the loop catch up; the
 * iterations it starts past the executor's last arrival send nothing (script.ts: no such arrival).
 */
export const catchUpWallMs = (wallDurationMs: number): number => Math.min(5_000, Math.max(1_000, Math.round(wallDurationMs / 20)));

/** Iterations k6 starts in `catchUpMs` at `perWallMs`: VUs for them, as they may overlap the last requests. */
const catchUpIterations = (perWallMs: number, catchUpMs: number): number => Math.ceil(perWallMs * catchUpMs);

const arrivalRate = (name: string, e: Extract<Executor, { executor: 'constant-arrival-rate' | 'ramping-arrival-rate' }>, timeScale: number, notes: string[], sizing: VuSizing) => {
  const unitMs = parseDuration(e.timeUnit ?? '1s');
  const burst = asBurst(name, e, timeScale, notes, sizing);
  if (burst !== undefined) return burst;
  if (e.executor === 'constant-arrival-rate') {
    const durationMs = parseDuration(e.duration);
    let fitted = fitArrivalRates([e.rate], unitMs, [durationMs], timeScale);
    const iterations = constantRateIterations(e.rate, unitMs, durationMs);
    if (!fitted.exact) {
      // Keep the count exact and the spacing the simulator's: k6 starts iteration k at k × timeUnit
      // ÷ rate while that is under the duration, so the duration only has to fall between the last
      // arrival and the one after it (half an interval past the last, as a window's executor ends:
      // kit/window.ts). Spreading the count over the rounded duration instead, as before, spaced a
      // window's arrivals (n - 0.5) ÷ n of an interval apart: the last of 134 interactive arrivals of
      // batch-interactive-collision's window came 440 ms of provider time early, and the token
      // bucket refused other requests than the simulator's.
      const intervalWallMs = unitMs / e.rate / timeScale;
      if (fitted.ratesExact) {
        const wallMs = Math.max(1, Math.round((iterations - 0.5) * intervalWallMs));
        fitted = { ...fitted, durationsMs: [wallMs] };
        notes.push(`${name}: ${e.rate} per ${formatDuration(unitMs)} for ${formatDuration(durationMs)} ÷ ${timeScale} is not whole milliseconds; sent at the same rate for ${formatDuration(wallMs)} (the same ${iterations} arrivals)`);
      } else {
        // Nor is the rate: `iterations` per their whole span, which moves the last arrival by under half a wall millisecond.
        const spanMs = Math.max(1, Math.round(iterations * intervalWallMs));
        const wallMs = Math.max(1, Math.round(((iterations - 0.5) * spanMs) / Math.max(1, iterations)));
        fitted = { rates: [Math.max(1, iterations)], timeUnitMs: spanMs, durationsMs: [wallMs], exact: false, ratesExact: false };
        notes.push(`${name}: ${e.rate} per ${formatDuration(unitMs)} for ${formatDuration(durationMs)} ÷ ${timeScale} is not whole milliseconds; sent as ${iterations} iterations per ${formatDuration(spanMs)} for ${formatDuration(wallMs)} (same count, rate within ${((0.5 / spanMs) * 100).toFixed(2)} %)`);
      }
    }
    const [rate] = fitted.rates;
    const wallDurationMs = fitted.durationsMs[0];
    const catchUpMs = catchUpWallMs(wallDurationMs);
    const vus = vusFor((rate / fitted.timeUnitMs) * 1000, iterations + catchUpIterations(rate / fitted.timeUnitMs, catchUpMs), timeScale, sizing);
    if (wallDurationMs >= K6_MIN_DURATION_MS) {
      return { executor: 'constant-arrival-rate' as const, rate, timeUnit: formatDuration(fitted.timeUnitMs), duration: formatDuration(wallDurationMs + catchUpMs), ...vus };
    }
    notes.push(`${name}: constant-arrival-rate for ${formatDuration(wallDurationMs)} on the wall is under k6's 1s minimum; sent as ramping-arrival-rate holding the same rate for that long`);
    return {
      executor: 'ramping-arrival-rate' as const,
      startRate: rate,
      timeUnit: formatDuration(fitted.timeUnitMs),
      stages: [{ target: rate, duration: formatDuration(wallDurationMs + catchUpMs) }],
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
  const catchUpMs = catchUpWallMs(fitted.durationsMs.reduce((sum, d) => sum + d, 0));
  const lastTarget = targets[targets.length - 1] ?? startRate;
  return {
    executor: 'ramping-arrival-rate' as const,
    startRate,
    timeUnit: formatDuration(fitted.timeUnitMs),
    // The catch-up time holds the last rate (see catchUpWallMs).
    stages: [
      ...targets.map((target, i) => ({ target, duration: formatDuration(fitted.durationsMs[i]) })),
      { target: lastTarget, duration: formatDuration(catchUpMs) },
    ],
    ...vusFor(peakPerWallSec, Math.ceil(total) + catchUpIterations(lastTarget / fitted.timeUnitMs, catchUpMs), timeScale, sizing),
  };
};

/** Iterations an arrival-rate executor starts: the area under its piecewise-linear rate. */
export const arrivalIterations = (e: Executor): number => {
  const stages = arrivalStages(e);
  return stages === undefined ? 0 : arrivalCount(stages);
};

/**
 * Whether k6 runs an arrival-rate executor as a burst: when its wall duration is under k6's 1 s
 * minimum, k6's arrival-rate executors start too few of its iterations (the stampede's herd, 1,000
 * in 200 ms: 738 to 805 at scale 1, none at scale 60). A burst is written as `per-vu-iterations`
 * with one iteration per VU, every VU started together at the burst's start time and waiting for
 * its own iteration's offset (script.ts), which k6 runs exactly.
 */
export const isBurst = (e: Executor, timeScale: number): boolean => {
  const stages = arrivalStages(e);
  if (stages === undefined) return false;
  const wallMs = stages.reduce((sum, st) => sum + st.durationMs, 0) / timeScale;
  const iterations = arrivalIterations(e);
  return wallMs < K6_MIN_DURATION_MS && iterations > 0 && iterations <= MAX_BURST_VUS;
};

/**
 * How long k6 lets iterations in flight finish when an executor's time is up (its gracefulStop;
 * a burst's maxDuration past its spread): the longest a request stays busy on the wall, from the
 * sizing, plus k6's own default of 30 s. With k6's default alone, a stampede window at scale 1
 * cut 193 of its 300 steady requests, queued 40 s behind the herd, to 499s the simulator answers.
 */
const K6_DEFAULT_GRACE_MS = 30_000;
/** At least a minute for a burst's request and its retries. */
const BURST_GRACE_MS = 60_000;
export const drainWallMs = (timeScale: number, sizing: VuSizing): number =>
  Math.ceil((sizing.busyProviderMs / timeScale + sizing.overheadWallMs) / 1000) * 1000 + K6_DEFAULT_GRACE_MS;

/**
 * How long before its first arrival a burst's VUs start, on the wall: each builds and encodes its
 * request and opens its connection first, then waits for its arrival, so at the arrival only the
 * send is left. Done at the arrival instead, 1,000 VUs' work (a 56 kB body each, and a TCP
 * handshake) spread the stampede's 200 ms herd over 5 s on real k6. Workers in a real herd hold
 * warm connections too. Ten seconds, not three: with 1,000 VUs preparing at once on a busy 2-core
 * machine (load 2 to 5) the preparation alone took 4.5 to 7 s, and every VU that is not ready at its
 * arrival is late by that much. Capped by the burst's own start time (a test cannot start before 0).
 */
export const BURST_LEAD_WALL_MS = 10_000;

/** The wall lead a burst starting at `startMs` (provider ms) gets. */
export const burstLeadWallMs = (startMs: number, timeScale: number): number => Math.min(BURST_LEAD_WALL_MS, Math.round(startMs / timeScale));

const asBurst = (name: string, e: Executor, timeScale: number, notes: string[], sizing: VuSizing) => {
  if (!isBurst(e, timeScale)) return undefined;
  const stages = arrivalStages(e) ?? [];
  const wallMs = Math.ceil(stages.reduce((sum, st) => sum + st.durationMs, 0) / timeScale);
  const iterations = arrivalIterations(e);
  const leadMs = burstLeadWallMs(parseDuration(e.startTime ?? 0), timeScale);
  notes.push(
    `${name}: ${iterations} iterations over ${formatDuration(wallMs)} on the wall is a burst shorter than k6's 1s minimum; sent as per-vu-iterations, ${iterations} VUs × 1 iteration, started ${formatDuration(leadMs)} early to prepare, each VU waiting for its own arrival time`,
  );
  return { executor: 'per-vu-iterations' as const, vus: iterations, iterations: 1, maxDuration: formatDuration(leadMs + wallMs + Math.max(BURST_GRACE_MS, drainWallMs(timeScale, sizing))) };
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
export const toK6Scenarios = (traffic: Record<string, Executor>, timeScale: number, sizing: VuSizing = DEFAULT_SIZING): MappedScenarios => {
  const scenarios: Record<string, K6Scenario> = {};
  const notes: string[] = [];
  Object.entries(traffic).forEach(([name, e], index) => {
    const body =
      e.executor === 'constant-arrival-rate' || e.executor === 'ramping-arrival-rate'
        ? arrivalRate(name, e, timeScale, notes, sizing)
        : vuBased(name, e, timeScale, notes);
    const startMs = parseDuration(e.startTime ?? 0);
    // A burst starts early by its lead (BURST_LEAD_WALL_MS); script.ts reads the k6 start time back.
    const wallStartMs = Math.round(startMs / timeScale) - (isBurst(e, timeScale) ? burstLeadWallMs(startMs, timeScale) : 0);
    const gracefulStop = formatDuration(drainWallMs(timeScale, sizing));
    scenarios[name] = { ...body, exec: execName(index, name), gracefulStop, ...(wallStartMs > 0 ? { startTime: formatDuration(wallStartMs) } : {}) };
  });
  return { scenarios, notes };
};
