// A sweep worker thread: runs the points it is sent, one at a time, and posts each summary back.

import { parentPort } from 'node:worker_threads';
import { CachecastError } from '../../core/errors.ts';
import type { Setting } from './config-path.ts';
import { runPoint, type SweepTarget } from './run-point.ts';

export interface PointTask {
  id: number;
  target: SweepTarget;
  settings: Setting[];
  seed: string;
}

if (parentPort !== null) {
  const port = parentPort;
  port.on('message', (task: PointTask) => {
    runPoint(task.target, task.settings, task.seed).then(
      (summary) => port.postMessage({ id: task.id, summary }),
      (error: unknown) =>
        port.postMessage({
          id: task.id,
          error: { code: error instanceof CachecastError ? error.code : undefined, message: error instanceof Error ? error.message : String(error) },
        }),
    );
  });
  port.postMessage({ ready: true });
}
