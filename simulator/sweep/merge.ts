// `cachecast sweep merge`: shards of one sweep → the whole. The shards must be of the same sweep
// (target, variant, axes, seeds) and together hold every (point, seed) exactly once.

import { isDeepStrictEqual } from 'node:util';
import { CachecastError } from '../../core/errors.ts';
import type { SweepResult, SweepRow } from '../../core/ledger/sweep.ts';

const sameSweep = (a: SweepResult, b: SweepResult): boolean =>
  a.target === b.target && a.kind === b.kind && a.variant === b.variant && a.seeds === b.seeds && a.points === b.points && isDeepStrictEqual(a.axes, b.axes);

export const mergeSweeps = (parts: Array<{ name: string; result: SweepResult }>): SweepResult => {
  if (parts.length === 0) throw new CachecastError('CC_ERR_USAGE', 'sweep merge: give the sweep.json of every shard');
  const first = parts[0].result;
  const rows = new Map<number, SweepRow>();
  for (const { name, result } of parts) {
    if (!sameSweep(first, result)) throw new CachecastError('CC_ERR_SWEEP_MISMATCH', `${name} is a shard of another sweep than ${parts[0].name} (target, variant, axes, seeds or points differ)`);
    for (const row of result.rows) {
      const id = row.point * first.seeds + row.seedIndex - 1;
      if (rows.has(id)) throw new CachecastError('CC_ERR_SWEEP_MISMATCH', `${name}: point ${row.point} seed ${row.seedIndex} is in two shards`);
      rows.set(id, row);
    }
  }
  const expected = first.points * first.seeds;
  if (rows.size !== expected) {
    const missing = Array.from({ length: expected }, (_, id) => id).filter((id) => !rows.has(id));
    throw new CachecastError('CC_ERR_SWEEP_MISMATCH', `sweep merge: ${missing.length} of ${expected} runs missing (e.g. point ${Math.floor(missing[0] / first.seeds)}); is a shard left out?`);
  }
  const { shard: _shard, ...whole } = first;
  return { ...whole, rows: [...rows.keys()].sort((a, b) => a - b).map((id) => rows.get(id) as SweepRow) };
};
