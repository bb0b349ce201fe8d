import type { QuotaSpec } from '../config.ts';

/** A quota's state; each kind keeps what it needs in `state`. */
export interface Limiter<S = unknown> {
  spec: QuotaSpec;
  state: S;
}

/** What every limiter kind implements. All functions take provider time; none reads a clock. */
export interface LimiterKind<S> {
  create: (spec: QuotaSpec, nowMs: number) => S;
  available: (spec: QuotaSpec, state: S, nowMs: number) => number;
  consume: (spec: QuotaSpec, state: S, amount: number, nowMs: number) => void;
  /** How long until `amount` fits; Infinity when it never can (amount above the limit). */
  waitMs: (spec: QuotaSpec, state: S, amount: number, nowMs: number) => number;
  /** When the limiter is back to its full limit. */
  resetAtMs: (spec: QuotaSpec, state: S, nowMs: number) => number;
}
