// Runs a sweep: every (point, seed) of this shard, on `jobs` worker threads (in this thread when
// jobs is 1). Each task is a pure function of its point and seed (run-point.ts), and rows are put
// back in (point, seed) order, so the result is the same whatever the job count.

import { Worker } from 'node:worker_threads';
import type { RunSummary } from '../../core/ledger/run-summary.ts';
import type { SweepAxis, SweepResult, SweepRow } from '../../core/ledger/sweep.ts';
import { CachecastError, type ErrorCode } from '../../core/errors.ts';
import type { Setting } from './config-path.ts';
import { pointCount, pointSettings, seedOf, shardPoints } from './plan.ts';
import type { PointTask } from './point-worker.ts';
import { runPoint, type SweepTarget } from './run-point.ts';

export interface SweepOptions {
  target: SweepTarget;
  /** Name and variant/profile written into sweep.json. */
  name: string;
  variant: string;
  axes: SweepAxis[];
  baseSeed: string;
  seeds: number;
  jobs: number;
  shard?: { index: number; count: number };
  onProgress?: (done: number, total: number) => void;
}

type Reply = { ready: true } | { id: number; summary: RunSummary } | { id: number; error: { code?: ErrorCode; message: string } };

const WORKER_URL = new URL('./point-worker.mjs', import.meta.url);

const runInWorkers = async (tasks: PointTask[], jobs: number, onDone: (task: PointTask, summary: RunSummary) => void): Promise<void> => {
  const queue = tasks.slice();
  const workers = Array.from({ length: Math.min(jobs, tasks.length) }, () => new Worker(WORKER_URL));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let current: PointTask | undefined;
            const next = (): void => {
              current = queue.shift();
              if (current === undefined) resolve();
              else worker.postMessage(current);
            };
            worker.on('error', reject);
            worker.on('message', (reply: Reply) => {
              if ('ready' in reply) return next();
              if ('error' in reply) {
                const { code, message } = reply.error;
                return reject(code === undefined ? new Error(message) : new CachecastError(code, message));
              }
              if (current !== undefined) onDone(current, reply.summary);
              next();
            });
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
};

export const runSweep = async (options: SweepOptions): Promise<SweepResult> => {
  const points = pointCount(options.axes);
  const tasks: PointTask[] = [];
  for (const point of shardPoints(points, options.shard)) {
    const settings: Setting[] = pointSettings(options.axes, point);
    for (let s = 1; s <= options.seeds; s++) tasks.push({ id: point * options.seeds + (s - 1), target: options.target, settings, seed: seedOf(options.baseSeed, s) });
  }
  const rows = new Map<number, SweepRow>();
  const onDone = (task: PointTask, summary: RunSummary): void => {
    rows.set(task.id, {
      point: Math.floor(task.id / options.seeds),
      seedIndex: (task.id % options.seeds) + 1,
      seed: task.seed,
      settings: Object.fromEntries(task.settings.map((s) => [s.path, s.value])),
      totals: summary.totals,
    });
    options.onProgress?.(rows.size, tasks.length);
  };
  if (options.jobs <= 1) {
    for (const task of tasks) onDone(task, await runPoint(task.target, task.settings, task.seed));
  } else await runInWorkers(tasks, options.jobs, onDone);

  const result: SweepResult = {
    target: options.name,
    kind: options.target.kind,
    variant: options.variant,
    axes: options.axes,
    seeds: options.seeds,
    points,
    rows: [...rows.keys()].sort((a, b) => a - b).map((id) => rows.get(id) as SweepRow),
  };
  if (options.shard !== undefined) result.shard = options.shard;
  return result;
};
