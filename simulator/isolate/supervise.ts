// Runs a job (a module whose default export does a command's work on a scenario) in a worker
// thread while this thread supervises: it relays the job's output, prints each phase as it starts
// (so a scenario that loops forever is not silent), and on Ctrl-C, SIGTERM or a timeout stops the
// worker and names where the scenario was. A signal handler on the thread running a synchronous
// loop never runs; here the loop is on the worker, and Worker.terminate() interrupts it.
// The job's results are the in-thread run's: the same code runs, only its writes are posted.

import { Worker } from 'node:worker_threads';
import { CachecastError } from '../../core/errors.ts';
import { createBoard, type PhaseNames, readBoard } from './phase-board.ts';
import type { JobIo, JobStart, WorkerMessage } from './protocol.ts';
import { describeWhere } from './where.ts';

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

export interface SuperviseOptions {
  io: JobIo;
  /** Printed at once, before the worker has started (e.g. the scenario being loaded). */
  announce?: PhaseNames;
  /** Stop the job after this many milliseconds: CC_ERR_TIMEOUT. */
  timeoutMs?: number;
  /** The flag as given, for the timeout's message (`--timeout 2s`). */
  timeoutFlag?: string;
}

/** The line printed when a phase starts, or undefined for phases that print their own progress. */
const phaseLine = (phase: string, names: PhaseNames): string | undefined => {
  if (phase === 'import') return `loading scenario ${names.scenario}…\n`;
  if (phase === 'setup' && names.variant !== undefined) return `${names.scenario}/${names.variant}: setup…\n`;
  if (phase === 'simulate' && names.variant !== undefined) return `${names.scenario}/${names.variant}: simulating…\n`;
  return undefined;
};

const SIGNALS = { SIGINT: { exitCode: 130, what: 'Ctrl-C (SIGINT)' }, SIGTERM: { exitCode: 143, what: 'SIGTERM' } } as const;

export const superviseJob = (module: URL, input: unknown, options: SuperviseOptions): Promise<void> => {
  const { io } = options;
  const board = createBoard();
  const printed = new Set<string>();
  let names: PhaseNames | undefined = options.announce;
  const print = (phase: string): void => {
    const line = names === undefined ? undefined : phaseLine(phase, names);
    if (line === undefined || printed.has(line)) return;
    printed.add(line);
    io.err(line);
  };
  if (names !== undefined) print('import');

  const start: JobStart = { module: module.href, input, cwd: io.cwd, isTty: io.isTty, board };
  const worker = new Worker(WORKER_URL, { workerData: start });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop(timedOut()), options.timeoutMs);
    const onSignal = (signal: keyof typeof SIGNALS) => () => stop(interrupted(signal));
    const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
    for (const [signal, handler] of Object.entries(handlers)) process.once(signal, handler);

    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
      // A finished job may leave handles open (a report's renderer); its thread ends here either way.
      void worker.terminate().then(() => (error === undefined ? resolve() : reject(error)));
    };
    const where = (): string => describeWhere(readBoard(board), names);
    const interrupted = (signal: keyof typeof SIGNALS): CachecastError =>
      new CachecastError('CC_ERR_INTERRUPTED', `interrupted by ${SIGNALS[signal].what} ${where()}`, SIGNALS[signal].exitCode);
    const timedOut = (): CachecastError =>
      new CachecastError('CC_ERR_TIMEOUT', `stopped by ${options.timeoutFlag ?? 'the timeout'} ${where()}`, 124);
    const stop = (error: CachecastError): void => settle(error);

    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      if (message.type === 'out' || message.type === 'err') (message.type === 'out' ? io.out : io.err)(message.text);
      else if (message.type === 'phase') {
        if (message.names !== undefined) {
          const same = names?.scenario === message.names.scenario && names?.variant === message.names.variant;
          names = { ...(same ? names : {}), ...message.names };
        }
        if (message.quiet !== true) print(message.phase);
      } else if (message.type === 'done') settle();
      else {
        const { code, message: text, exitCode, stack } = message.error;
        const error = code === undefined ? new Error(text) : new CachecastError(code, text, exitCode);
        if (stack !== undefined) error.stack = stack;
        settle(error);
      }
    });
    worker.on('error', (error) => settle(error));
    worker.on('exit', (code) => settle(new Error(`the worker running the scenario stopped (exit code ${code}) ${where()}`)));
  });
};
