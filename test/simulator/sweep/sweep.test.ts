import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepAxis } from '../../../core/ledger/sweep.ts';
import { mergeSweeps } from '../../../simulator/sweep/merge.ts';
import { pointCount, pointSettings, shardPoints } from '../../../simulator/sweep/plan.ts';
import type { SweepTarget } from '../../../simulator/sweep/run-point.ts';
import { runSweep, type SweepOptions } from '../../../simulator/sweep/sweep.ts';
import { ROOT, tempDir } from '../../cli/helpers.ts';

// The first 600 requests of the Mooncake synthetic trace, written to a temporary file.
const dir = tempDir();
const trace = join(dir, 'head.jsonl');
writeFileSync(trace, readFileSync(join(ROOT, '../shared/traces/mooncake/synthetic_trace.jsonl'), 'utf8').split('\n').slice(0, 600).join('\n'));

const target: SweepTarget = { kind: 'trace', file: trace, profile: 'anthropic', blockTokens: 512 };
// Overloads draw from the seed: the seeds give different figures.
const axes: SweepAxis[] = [
  { path: 'faults.overloadRate', values: [0, 0.2] },
  { path: 'nodes.count', values: [1, 4] },
  { path: 'traffic.scale', values: [1, 4] },
];
const options = (jobs: number, shard?: { index: number; count: number }): SweepOptions => ({ target, name: 'head.jsonl', variant: 'anthropic', axes, baseSeed: 'sweep-test', seeds: 2, jobs, shard });

describe('sweep plan', () => {
  it('enumerates the cross product with the first axis slowest and point 0 the baseline', () => {
    expect(pointCount(axes)).toBe(8);
    expect(pointSettings(axes, 0).map((s) => s.value)).toEqual([0, 1, 1]);
    expect(pointSettings(axes, 5).map((s) => s.value)).toEqual([0.2, 1, 4]);
    expect(shardPoints(8, { index: 2, count: 3 })).toEqual([1, 4, 7]);
  });
});

describe('cachecast sweep', () => {
  it('gives the same rows on one job and on two worker threads, and shards merge into the whole', async () => {
    const one = await runSweep(options(1));
    expect(one.rows).toHaveLength(16);
    expect(one.rows.map((r) => [r.point, r.seedIndex])).toEqual(Array.from({ length: 16 }, (_, i) => [Math.floor(i / 2), (i % 2) + 1]));
    // Each row is a real replay: 600 requests, and overloads at 20 % differ between the two seeds.
    expect(one.rows.every((r) => r.totals.requests === 600)).toBe(true);
    expect(one.rows[0].totals.overloaded).toBe(0);
    const overloaded = one.rows.filter((r) => r.point === 4).map((r) => r.totals.overloaded);
    expect(overloaded[0]).toBeGreaterThan(60);
    expect(overloaded[0]).not.toBe(overloaded[1]);

    const two = await runSweep(options(2));
    expect(two).toEqual(one);

    const shards = [await runSweep(options(2, { index: 1, count: 2 })), await runSweep(options(1, { index: 2, count: 2 }))];
    expect(shards.map((s) => s.rows.length)).toEqual([8, 8]);
    expect(mergeSweeps(shards.map((result, i) => ({ name: `shard ${i + 1}`, result })))).toEqual(one);
  });

  it('refuses to merge shards of different sweeps or with a shard missing', async () => {
    const shard = await runSweep({ ...options(1, { index: 1, count: 4 }), axes: [{ path: 'nodes.count', values: [1, 2, 3, 4] }], seeds: 1 });
    expect(() => mergeSweeps([{ name: 'a', result: shard }])).toThrow('sweep merge: 3 of 4 runs missing (e.g. point 1)');
    const other = { ...shard, seeds: 2 };
    expect(() => mergeSweeps([{ name: 'a', result: shard }, { name: 'b', result: other }])).toThrow('b is a shard of another sweep than a');
  });
});
