// Each command's module by name, loaded only when asked for: `cachecast run` then imports the run
// command and not the mock provider, the report renderer or esbuild, so it starts (and shows its
// first progress line) in a fraction of the time. index.ts lists the same commands eagerly, for
// `--help` and tests; test/cli/startup.test.ts checks the two lists agree.

import type { Command } from 'commander';
import type { CliIo } from '../io.ts';

type Maker = (io: CliIo) => Command;

export const COMMANDS_BY_NAME: Record<string, () => Promise<Maker>> = {
  run: () => import('./run.ts').then((m) => m.runCommand),
  list: () => import('./list.ts').then((m) => m.listCommand),
  check: () => import('./check.ts').then((m) => m.checkCommand),
  report: () => import('./report.ts').then((m) => m.reportCommand),
  serve: () => import('./serve.ts').then((m) => m.serveCommand),
  k6: () => import('./k6.ts').then((m) => m.k6Command),
  live: () => import('./live.ts').then((m) => m.liveCommand),
  replay: () => import('./replay.ts').then((m) => m.replayCommand),
  trace: () => import('./trace.ts').then((m) => m.traceCommand),
  ledger: () => import('./ledger.ts').then((m) => m.ledgerCommand),
  sweep: () => import('./sweep.ts').then((m) => m.sweepCommand),
  doctor: () => import('./doctor.ts').then((m) => m.doctorCommand),
};

/** The command a command line names (its first word that is not an option), if any. */
export const commandNamed = (args: readonly string[]): string | undefined => args.find((arg) => !arg.startsWith('-'));
