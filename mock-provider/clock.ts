// Provider time for the mock provider: the only module that reads the wall clock. Provider time
// runs `timeScale` times faster than the wall (60 = one wall second is one provider minute), so
// `nowMs = startAtMs + (wallNow - wallStart) * timeScale`, and a wait of `providerMs` is
// `providerMs / timeScale` on the wall. The model never reads a clock; it is handed `nowMs`.

export interface Clock {
  readonly timeScale: number;
  /** Provider time now, epoch milliseconds. */
  nowMs: () => number;
  /** Resolves after `providerMs` of provider time. */
  wait: (providerMs: number) => Promise<void>;
  /** Wall-clock epoch milliseconds at which provider time reaches `providerMs` (for reset headers). */
  toWallEpochMs: (providerMs: number) => number;
  /** A provider duration on the wall, milliseconds (for `retry-after`). */
  toWallMs: (providerMs: number) => number;
  /**
   * Provider time at wall instant `wallEpochMs` (a client's send instant, sent-at.ts), never before
   * the clock's start. Counted from the start's own wall instant, so a request sent at the start is
   * at the start exactly: derived back from `nowMs`, it came out 0.001 ms before a window's first
   * instant (the fresh-clone CI run of 0fa8b2a..f6d113e, three windows).
   */
  atWallEpochMs: (wallEpochMs: number) => number;
}

export interface WallClockOptions {
  timeScale: number;
  /** Provider time at start, epoch ms; defaults to the wall clock at start. */
  startAtMs?: number;
  /**
   * Provider time stands at `startAtMs` until `start()`. A live run starts its clock when k6 begins
   * its test (the bundle's setup() calls the control endpoint): k6 takes a second or more to start
   * its VUs, and a clock started with the server would be that far ahead of the scenario.
   */
  paused?: boolean;
  /**
   * Wall-clock instant (epoch ms) at which provider time is `startAtMs`; afterwards it runs at the
   * time scale. Replicas given the same epoch agree on provider time whenever each one started, so
   * their ledgers merge into one timeline (`serve --epoch`). Default: the moment the clock starts.
   */
  epochMs?: number;
}

export interface WallClock extends Clock {
  /**
   * Starts provider time (a clock made without `paused` has started already). `atWallEpochMs`: the
   * wall instant provider time starts at, when it is not now; until a future one, provider time
   * stands at the start. A live run's k6 names a start slightly ahead (k6/bundle/start.ts), so
   * that the mock provider and k6's arrivals count from the same instant.
   */
  start: (atWallEpochMs?: number) => void;
  readonly started: boolean;
}

const sleepWallMs = (wallMs: number): Promise<void> =>
  wallMs < 1 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wallMs));

export const createWallClock = ({ timeScale, startAtMs, paused = false, epochMs }: WallClockOptions): WallClock => {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  let wallStartMs: number | undefined;
  let wallEpochAtStartMs = Date.now();
  const origin = startAtMs ?? epochMs ?? wallEpochAtStartMs;
  // With an epoch, provider time at start follows from the wall instant of the start itself: computed
  // from an earlier reading, a replica's clock was off by the milliseconds between the two (1 ms now
  // and then; the whole pause for a paused clock).
  const providerStartAt = (wallEpochMs: number): number => (epochMs === undefined ? origin : origin + (wallEpochMs - epochMs) * timeScale);
  let providerStartMs = providerStartAt(wallEpochAtStartMs);
  const start = (atWallEpochMs?: number): void => {
    if (wallStartMs !== undefined) return;
    const wallNowMs = Date.now();
    // The monotonic clock's reading at that wall instant (now, or ahead of now).
    wallStartMs = performance.now() + (atWallEpochMs === undefined ? 0 : atWallEpochMs - wallNowMs);
    wallEpochAtStartMs = atWallEpochMs ?? wallNowMs;
    providerStartMs = providerStartAt(wallEpochAtStartMs);
  };
  if (!paused) start();
  // Before a start named ahead of now, provider time stands at the start.
  const nowMs = (): number => (wallStartMs === undefined ? providerStartMs : providerStartMs + Math.max(0, performance.now() - wallStartMs) * timeScale);
  return {
    timeScale,
    nowMs,
    wait: (providerMs) => sleepWallMs(providerMs / timeScale),
    toWallEpochMs: (providerMs) => wallEpochAtStartMs + (providerMs - providerStartMs) / timeScale,
    toWallMs: (providerMs) => providerMs / timeScale,
    atWallEpochMs: (wallEpochMs) => (wallStartMs === undefined ? providerStartMs : providerStartMs + Math.max(0, wallEpochMs - wallEpochAtStartMs) * timeScale),
    start,
    get started() {
      return wallStartMs !== undefined;
    },
  };
};

export interface ManualClock extends Clock {
  /** Moves provider time forward. */
  advance: (providerMs: number) => void;
}

/**
 * A clock for tests: provider time stands still until `advance` is called, and waits resolve at
 * once, so assertions never depend on how fast the machine is.
 */
export const createManualClock = (startAtMs = Date.UTC(2026, 0, 1)): ManualClock => {
  let now = startAtMs;
  return {
    timeScale: 1,
    nowMs: () => now,
    wait: () => Promise.resolve(),
    toWallEpochMs: (providerMs) => providerMs,
    toWallMs: (providerMs) => providerMs,
    atWallEpochMs: (wallEpochMs) => wallEpochMs,
    advance: (providerMs) => {
      now += providerMs;
    },
  };
};
