// Scenario time for an iteration, the `tMs` a request builder receives. An arrival-rate iteration k
// is due at the same instant the simulator starts it (k6 starts it then, give or take scheduling
// jitter), so it gets that instant: builders that look at the clock (a lull, a cut-over) choose
// exactly as in the simulator. A VU iteration has no schedule, only the clock: wall time since
// the test started, times the time scale.

import { parseDuration } from '../../scenarios/kit/durations.ts';
import type { Executor } from '../../scenarios/kit/format.ts';
import { arrivalOffsetMs, arrivalStages, executorEndMs } from '../../scenarios/kit/timeline.ts';

export { arrivalStages, executorEndMs };

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
