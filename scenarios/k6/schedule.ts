// Scenario time for an iteration, the `tMs` a request builder receives. An arrival-rate iteration k
// is due at the same instant the simulator starts it (k6 starts it then, give or take scheduling
// jitter), so it gets that instant: builders that look at the clock (a lull, a cut-over) choose
// exactly as in the simulator. A VU iteration has no schedule, only the clock: wall time since
// the test started, times the time scale.

import { parseDuration } from '../kit/durations.ts';
import type { Executor } from '../kit/format.ts';
import { arrivalOffsetMs, type RateStage } from '../../simulator/executors/timeline.ts';

/** The executor's rate as piecewise-linear stages, iterations per provider millisecond. */
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

/**
 * When an executor stops starting iterations, provider ms after the scenario start: the
 * simulator's rule (simulator/executors/index.ts), repeated here because that module pulls in the
 * provider model, which k6 does not need.
 */
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

export interface IterationClock {
  /** Scenario time (provider ms since the scenario start) for iteration `k`, or undefined past the executor's end. */
  scenarioMs: (k: number, wallNowMs: number) => number | undefined;
}

/**
 * `testStartWallMs` is when k6 started the test (the executor's own start minus its scaled
 * `startTime`), epoch ms on the wall.
 */
export const iterationClock = (e: Executor, timeScale: number, testStartWallMs: () => number): IterationClock => {
  const startMs = parseDuration(e.startTime ?? 0);
  const stages = arrivalStages(e);
  if (stages !== undefined) {
    return {
      scenarioMs: (k) => {
        const offset = arrivalOffsetMs(stages, k);
        return offset === undefined ? undefined : startMs + offset;
      },
    };
  }
  return { scenarioMs: (_k, wallNowMs) => Math.max(startMs, (wallNowMs - testStartWallMs()) * timeScale) };
};
