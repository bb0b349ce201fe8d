// The mock provider's clock for a live run: provider time stands at the scenario's start until k6
// begins its test (the bundle's setup() calls the control endpoint), then runs at the time scale.
// k6 takes a second or more to start its VUs; a clock started with the server would be that far
// ahead of the scenario, and every scheduled event that much early.

import type { Clock } from '../mock-provider/clock.ts';

export interface StartableClock extends Clock {
  start: () => void;
  readonly started: boolean;
}

export const createStartableClock = (timeScale: number, startAtMs: number): StartableClock => {
  let wallStart: number | undefined;
  let wallEpochAtStart = Date.now();
  const nowMs = (): number => (wallStart === undefined ? startAtMs : startAtMs + (performance.now() - wallStart) * timeScale);
  return {
    timeScale,
    nowMs,
    wait: (providerMs) => {
      const wallMs = providerMs / timeScale;
      return wallMs < 1 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wallMs));
    },
    toWallEpochMs: (providerMs) => wallEpochAtStart + (providerMs - startAtMs) / timeScale,
    toWallMs: (providerMs) => providerMs / timeScale,
    start: () => {
      if (wallStart !== undefined) return;
      wallStart = performance.now();
      wallEpochAtStart = Date.now();
    },
    get started() {
      return wallStart !== undefined;
    },
  };
};
