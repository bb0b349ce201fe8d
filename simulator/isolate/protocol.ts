// What a job's worker thread and its supervisor (the main thread) say to each other.

import type { ErrorCode } from '../../core/errors.ts';
import type { Phase, PhaseNames } from './phase-board.ts';

/** What a job may print and where it runs: the CLI's io, minus the writing, which is posted. */
export interface JobIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  isTty: boolean;
}

/** workerData: the job module to run, its input (structured-clonable), the io's facts, the board. */
export interface JobStart {
  module: string;
  input: unknown;
  cwd: string;
  isTty: boolean;
  board: Int32Array;
}

export interface FailedJob {
  code?: ErrorCode;
  message: string;
  exitCode?: number;
  stack?: string;
}

export type WorkerMessage =
  | { type: 'out'; text: string }
  | { type: 'err'; text: string }
  | { type: 'phase'; phase: Phase; names?: PhaseNames; quiet?: boolean }
  | { type: 'done' }
  | { type: 'failed'; error: FailedJob };
