// The points of a sweep: the cross product of the axes, first axis slowest, so point 0 is every
// axis's first value (the baseline). Seeds per point and shards of the points are plain functions
// of the indexes: any machine computes the same plan, so shards can run anywhere.

import { CachecastError } from '../../core/errors.ts';
import type { SweepAxis } from '../../core/ledger/sweep.ts';
import type { Setting } from './config-path.ts';

export const pointCount = (axes: readonly SweepAxis[]): number => axes.reduce((n, a) => n * a.values.length, 1);

/** The settings of point `index`. */
export const pointSettings = (axes: readonly SweepAxis[], index: number): Setting[] => {
  const settings: Setting[] = new Array(axes.length);
  let rest = index;
  for (let a = axes.length - 1; a >= 0; a--) {
    const { path, values } = axes[a];
    settings[a] = { path, value: values[rest % values.length] };
    rest = Math.floor(rest / values.length);
  }
  return settings;
};

/** Seed k (1-based) of a point: the base seed, then `<base>#2`, `<base>#3` ... */
export const seedOf = (base: string, seedIndex: number): string => (seedIndex === 1 ? base : `${base}#${seedIndex}`);

/** `i/n` → the 1-based share; throws CC_ERR_USAGE naming the flag. */
export const parseShard = (text: string): { index: number; count: number } => {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match === null ? Number.NaN : Number(match[1]);
  const count = match === null ? Number.NaN : Number(match[2]);
  if (!(count >= 1 && index >= 1 && index <= count)) throw new CachecastError('CC_ERR_USAGE', `--shard: expected i/n with 1 <= i <= n (e.g. 2/4), got "${text}"`);
  return { index, count };
};

/** The points of one share: every n-th, starting at i - 1, so shares are balanced across the axes. */
export const shardPoints = (points: number, shard: { index: number; count: number } | undefined): number[] => {
  const all = Array.from({ length: points }, (_, i) => i);
  return shard === undefined ? all : all.filter((i) => i % shard.count === shard.index - 1);
};
