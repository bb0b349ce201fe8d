// A job's worker thread: imports the job module, runs its default export with an io whose writes
// are posted to the main thread, and posts how it ended. The job's errors cross as data: a
// CachecastError keeps its code and exit code.

import { parentPort, workerData } from 'node:worker_threads';
import { CachecastError } from '../../core/errors.ts';
import { createPhases, type Phases } from './phase-board.ts';
import type { FailedJob, JobIo, JobStart, WorkerMessage } from './protocol.ts';

/** A job module's default export. */
export type Job<Input> = (input: Input, io: JobIo, phases: Phases) => Promise<void>;

const failure = (error: unknown): FailedJob =>
  error instanceof CachecastError
    ? { code: error.code, message: error.message, exitCode: error.exitCode, stack: error.stack }
    : { message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined };

if (parentPort !== null) {
  const port = parentPort;
  const start = workerData as JobStart;
  const post = (message: WorkerMessage): void => port.postMessage(message);
  const io: JobIo = { out: (text) => post({ type: 'out', text }), err: (text) => post({ type: 'err', text }), cwd: start.cwd, isTty: start.isTty };
  const phases = createPhases(start.board, (phase, names, quiet) => post({ type: 'phase', phase, ...(names === undefined ? {} : { names }), ...(quiet ? { quiet } : {}) }));
  import(start.module)
    .then((module: { default: Job<unknown> }) => module.default(start.input, io, phases))
    .then(
      () => post({ type: 'done' }),
      (error: unknown) => post({ type: 'failed', error: failure(error) }),
    );
}
