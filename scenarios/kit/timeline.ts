// Arrival times of the arrival-rate executors, computed from the iteration number so each arrival
// schedules the next without a list in memory. Pure, and free of the provider model: the k6
// bundle schedules iterations with these same functions.

import { parseDuration } from './durations.ts';
import type { TimedEvent } from '../../core/model/events.ts';
import type { Rng } from '../../core/model/rng.ts';
import type { Executor, ScenarioSpec, ThinkTime } from './format.ts';

export interface RateStage {
  /** Rate at the stage's start and end, iterations per ms. */
  fromPerMs: number;
  toPerMs: number;
  durationMs: number;
}

/**
 * Offset (ms from the executor's start) of iteration `k` (0-based) for a piecewise-linear rate,
 * or undefined when the stages end first. Iteration k starts where the cumulative count reaches k.
 */
export const arrivalOffsetMs = (stages: readonly RateStage[], k: number): number | undefined => {
  let offsetMs = 0;
  let before = 0;
  for (const { fromPerMs: r0, toPerMs: r1, durationMs: d } of stages) {
    const inStage = r0 * d + ((r1 - r0) * d) / 2;
    const n = k - before;
    if (n < inStage - 1e-9) {
      const a = (r1 - r0) / (2 * d);
      // r0·τ + a·τ² = n, in the form that stays exact when a → 0.
      const tau = n === 0 ? 0 : (2 * n) / (r0 + Math.sqrt(r0 * r0 + 4 * a * n));
      return offsetMs + Math.min(tau, d);
    }
    before += inStage;
    offsetMs += d;
  }
  return undefined;
};

/** VU k (1-based) is running during these [fromMs, toMs) offsets of a piecewise-linear VU target. */
export const vuActiveIntervals = (
  startVUs: number,
  stages: ReadonlyArray<{ target: number; durationMs: number }>,
  vu: number,
): Array<[number, number]> => {
  const intervals: Array<[number, number]> = [];
  let openAt: number | undefined = startVUs >= vu ? 0 : undefined;
  let t0 = 0;
  let c0 = startVUs;
  for (const { target: c1, durationMs: d } of stages) {
    if (openAt === undefined && c1 >= vu && c0 < vu) openAt = t0 + ((vu - c0) / (c1 - c0)) * d;
    else if (openAt !== undefined && c1 < vu && c0 >= vu) {
      intervals.push([openAt, t0 + ((c0 - vu + 1e-9) / (c0 - c1)) * d]);
      openAt = undefined;
    }
    t0 += d;
    c0 = c1;
  }
  if (openAt !== undefined) intervals.push([openAt, t0]);
  return intervals;
};

/** An arrival-rate executor's rate as piecewise-linear stages (undefined for VU executors). */
/** Arrivals in piecewise-linear stages: iteration k starts while the cumulative count is below their area. */
export const arrivalCount = (stages: readonly RateStage[]): number =>
  Math.max(0, Math.ceil(stages.reduce((sum, st) => sum + ((st.fromPerMs + st.toPerMs) / 2) * st.durationMs, 0) - 1e-9));

export const arrivalStages = (e: Executor): RateStage[] | undefined => {
  if (e.executor === 'constant-arrival-rate') {
    const perMs = e.rate / parseDuration(e.timeUnit ?? '1s');
    return [{ fromPerMs: perMs, toPerMs: perMs, durationMs: parseDuration(e.duration) }];
  }
  if (e.executor !== 'ramping-arrival-rate') return undefined;
  const unitMs = parseDuration(e.timeUnit ?? '1s');
  let from = (e.startRate ?? 0) / unitMs;
  return e.stages.map((stage) => {
    const to = stage.target / unitMs;
    const out = { fromPerMs: from, toPerMs: to, durationMs: parseDuration(stage.duration) };
    from = to;
    return out;
  });
};

/** When an executor stops starting iterations, ms after the scenario start. */
export const executorEndMs = (e: Executor): number => {
  const start = parseDuration(e.startTime ?? 0);
  switch (e.executor) {
    case 'constant-arrival-rate':
    case 'constant-vus':
      return start + parseDuration(e.duration);
    case 'ramping-arrival-rate':
    case 'ramping-vus':
      return start + e.stages.reduce((sum, s) => sum + parseDuration(s.duration), 0);
    case 'per-vu-iterations':
      return start + parseDuration(e.maxDuration ?? '10m');
  }
};

/** A VU's pause after an iteration, ms: a fixed duration, a draw from the iteration's stream, or none. */
export const thinkMs = (thinkTime: ThinkTime | undefined, rng: Rng): number =>
  thinkTime === undefined ? 0 : typeof thinkTime === 'function' ? thinkTime(rng) : parseDuration(thinkTime);

/** How long a scenario runs, ms from its start: its `duration`, else until its last executor ends or its last event fires. */
export const scenarioDurationMs = (spec: Pick<ScenarioSpec, 'traffic' | 'events' | 'duration'>): number =>
  spec.duration === undefined
    ? Math.max(...Object.values(spec.traffic).map(executorEndMs), ...(spec.events ?? []).map((e) => parseDuration(e.at)))
    : parseDuration(spec.duration);

/** A spec's provider events placed on the provider clock of a run that starts at `startMs`. */
export const timedEvents = (spec: Pick<ScenarioSpec, 'events'>, startMs: number): TimedEvent[] =>
  (spec.events ?? []).map(({ at, event }) => ({ atMs: startMs + parseDuration(at), event }));
