// `sweep.json`: what a sweep ran and one row per point and seed with every total of the run
// summary. Written by `cachecast sweep` (one shard or all), joined by `cachecast sweep merge`,
// read by the sweep report.

import type { Totals } from './run-summary.ts';

export interface SweepAxis {
  /** A provider config path (`nodes.capacityTokens`) or `traffic.scale`. */
  path: string;
  values: unknown[];
}

export interface SweepRow {
  /** Index in the cross product of the axes (first axis slowest); point 0 is the baseline. */
  point: number;
  /** 1-based. */
  seedIndex: number;
  seed: string;
  /** path → value of this point. */
  settings: Record<string, unknown>;
  totals: Totals;
}

export interface SweepResult {
  /** The scenario name or trace file the sweep ran. */
  target: string;
  kind: 'scenario' | 'trace';
  /** Scenario variant or replay profile. */
  variant: string;
  axes: SweepAxis[];
  seeds: number;
  /** Points in the whole cross product (a shard runs a share of them). */
  points: number;
  /** Which share this is (1-based index of count); absent for a whole sweep. */
  shard?: { index: number; count: number };
  rows: SweepRow[];
}
