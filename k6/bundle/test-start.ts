// The instant a live run's provider time starts, shared by k6 and the mock provider. k6 starts its
// scenarios some milliseconds after setup() returns (4 to 7 ms on an idle machine, each scenario's
// executor a few ms after the previous one; k6 v1.3.0, batch-interactive-collision), and a clock
// started by setup() ran that far ahead of every arrival: at 10× that is 40 to 70 ms of provider
// time, a token bucket refilled by as much before each request (README, "How closely live agrees
// with the simulator"). So provider time starts a lead ahead instead: setup() asks the mock
// provider's control endpoint for it (k6/live-control.ts; the clock starts at that wall instant,
// mock-provider/clock.ts), is answered with the instant, and hands it to every VU as setup data;
// each arrival is prepared when k6 starts its iteration and sent at its own instant on that shared
// origin. Both processes read the same host wall clock (Date.now).

/**
 * How far ahead of setup()'s end provider time starts, on the wall. k6 starts arrival k at its own
 * start + k intervals, which is this lead (less k6's start-up) before the arrival's instant, so the
 * lead must cover k6 starting its executors and an iteration's build and encoding: 4 to 7 ms and
 * 5 to 15 ms on an idle machine, the first batch iteration of batch-interactive-collision 27 ms late.
 * Every arrival-rate iteration holds its VU this long before it sends (k6-scenarios.ts sizes for it:
 * 60 more VUs at 600 arrivals a wall second), so it stays short; an iteration k6 starts later than
 * this is sent at once, late, as every one was before.
 */
export const START_LEAD_WALL_MS = 100;

/** Longest lead a start request may ask for: a minute (more is a mistake, not a lead). */
const MAX_LEAD_WALL_MS = 60_000;

/** What setup() asks the control endpoint for: provider time to start this long after the request arrives. */
export interface StartRequest {
  leadMs: number;
}

/** The lead a start request asks for, within [0, a minute]; 0 when it names none. */
export const leadOf = (body: unknown): number => {
  const value = (body as Partial<StartRequest> | null | undefined)?.leadMs;
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(MAX_LEAD_WALL_MS, Math.max(0, value)) : 0;
};

/** What setup() returns and k6 passes to every iteration. */
export interface SetupData {
  /** Epoch ms on the wall at which provider time is the scenario's (or window's) start. */
  originWallMs: number;
}

/** The origin in k6's setup data, when the data is one (an older bundle's setup returned nothing). */
export const originOf = (data: unknown): number | undefined => {
  const value = (data as Partial<SetupData> | null | undefined)?.originWallMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};
