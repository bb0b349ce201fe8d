// Scenario time for an iteration, the `tMs` a request builder receives. An arrival-rate iteration k
// is due at the same instant the simulator starts it (k6 starts it then, give or take scheduling
// jitter), so it gets that instant: builders that look at the clock (a lull, a cut-over) choose
// exactly as in the simulator. A VU iteration has no schedule, only the clock: wall time since
// the test started, times the time scale.

import { parseDuration } from '../../scenarios/kit/durations.ts';
import type { Executor } from '../../scenarios/kit/format.ts';
import { arrivalCount, arrivalOffsetMs, arrivalStages, executorEndMs } from '../../scenarios/kit/timeline.ts';

export { arrivalStages, executorEndMs };

export interface IterationClock {
  /** Scenario time (provider ms since the scenario start) for iteration `k`, or undefined past the executor's end. */
  scenarioMs: (k: number, wallNowMs: number) => number | undefined;
  /** Scenario time arrival `k` is scheduled at (arrival-rate executors; undefined otherwise or past the end). */
  scheduledMs: (k: number) => number | undefined;
  /** Epoch ms on the wall when arrival `k` is due (arrival-rate executors; undefined otherwise or past the end). */
  dueWallMs: (k: number) => number | undefined;
  /** Epoch ms on the wall at which the executor starts (its `startTime` after the test's start). */
  startWallMs: () => number;
}

/**
 * How far (wall ms) an arrival-rate iteration may start behind its schedule before its scenario
 * time follows the clock instead. k6 starts an iteration at its due time give or take a few
 * milliseconds on an idle machine, and a few hundred on a loaded one, so within this the builder
 * sees exactly the simulator's instant (at 250 ms, a stampede window on a loaded machine built a
 * request for a lull arrival whose time had followed the clock past the lull). When k6 lags
 * (it dropped iterations, so iteration k is a later arrival than the simulator's k, or the
 * machine is saturated) the schedule would fall further and further behind the mock provider's
 * clock (the stampede's lull would never happen live); the clock, less this tolerance, bounds it
 * instead, so the builder never sees a time more than this far behind the provider's. Such a run
 * has dropped iterations and fails as degraded anyway (k6/live.ts); this keeps its rows sensible.
 */
export const LAG_TOLERANCE_WALL_MS = 1_000;

/**
 * `testStartWallMs` is the wall instant provider time starts at, epoch ms: the origin setup() named
 * (test-start.ts), or without one when k6 started the test (the executor's own start minus its
 * scaled `startTime`).
 */
export const iterationClock = (e: Executor, timeScale: number, testStartWallMs: () => number): IterationClock => {
  const startMs = parseDuration(e.startTime ?? 0);
  const stages = arrivalStages(e);
  const clockMs = (wallNowMs: number): number => (wallNowMs - testStartWallMs()) * timeScale;
  const startWallMs = (): number => testStartWallMs() + startMs / timeScale;
  if (stages !== undefined) {
    // The executor's last arrival, not its stages' end: a window's executor runs half an interval
    // past its last arrival (kit/window.ts), which can pass the window's end, and a lagging
    // iteration held there would be skipped as past the scenario's end (78 of a stampede
    // window's herd were, under load).
    const lastMs = startMs + (arrivalOffsetMs(stages, Math.max(0, arrivalCount(stages) - 1)) ?? 0);
    return {
      scenarioMs: (k, wallNowMs) => {
        const offset = arrivalOffsetMs(stages, k);
        if (offset === undefined) return undefined;
        // Bounded by the executor's own end: a late iteration is still one of its arrivals.
        const lagging = Math.min(clockMs(wallNowMs) - LAG_TOLERANCE_WALL_MS * timeScale, lastMs);
        return Math.max(startMs + offset, lagging);
      },
      scheduledMs: (k) => {
        const offset = arrivalOffsetMs(stages, k);
        return offset === undefined ? undefined : startMs + offset;
      },
      dueWallMs: (k) => {
        const offset = arrivalOffsetMs(stages, k);
        return offset === undefined ? undefined : testStartWallMs() + (startMs + offset) / timeScale;
      },
      startWallMs,
    };
  }
  return { scenarioMs: (_k, wallNowMs) => Math.max(startMs, clockMs(wallNowMs)), scheduledMs: () => undefined, dueWallMs: () => undefined, startWallMs };
};
