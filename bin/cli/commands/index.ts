import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { checkCommand } from './check.ts';
import { doctorCommand } from './doctor.ts';
import { k6Command } from './k6.ts';
import { ledgerCommand } from './ledger.ts';
import { liveCommand } from './live.ts';
import { listCommand } from './list.ts';
import { replayCommand } from './replay.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { sweepCommand } from './sweep.ts';
import { traceCommand } from './trace.ts';

/** Every subcommand: a factory from io to a commander Command. Add one line per command. */
export const commands: Array<(io: CliIo) => Command> = [runCommand, listCommand, checkCommand, reportCommand, serveCommand, k6Command, liveCommand, replayCommand, traceCommand, ledgerCommand, sweepCommand, doctorCommand];
