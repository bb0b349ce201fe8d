// Every pending simulator event says what it is as plain data, so the pending work at a moment can
// be written into a state snapshot and scheduled again on resume (simulator/resume.ts). Requests
// are never stored: builders are pure, so (traffic, iteration, the iteration's time) rebuilds one.

export type PendingTag =
  /** The scenario's provider event number `index` (its `events` list). */
  | { kind: 'provider-event'; index: number }
  /** The scenario's phase label number `index`. */
  | { kind: 'phase'; index: number }
  /** An arrival-rate executor's iteration `k`. */
  | { kind: 'arrival'; traffic: string; k: number }
  /** A VU starting its next iteration, having started `done` before. */
  | { kind: 'vu'; traffic: string; vu: number; done: number }
  /** Attempt `attempt` (a retry) of iteration `k`, which began at `iterationAtMs`. */
  | { kind: 'retry'; traffic: string; k: number; attempt: number; iterationAtMs: number; vu?: { vu: number; done: number } };
