import { CommanderError } from 'commander';
import { CachecastError } from '../../core/errors.ts';
import { processIo } from './io.ts';
import { COMMANDS_BY_NAME, commandNamed } from './commands/by-name.ts';
import { programOf } from './program-of.ts';

const io = processIo();
const debug = process.argv.includes('--debug');

try {
  // Only the command asked for is loaded; anything else (no command, --help, a typo) gets the whole CLI.
  const name = commandNamed(process.argv.slice(2));
  const load = name === undefined ? undefined : COMMANDS_BY_NAME[name];
  const program = load === undefined ? (await import('./program.ts')).createProgram(io) : programOf(io, [await load()]);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has already printed the message (or the help).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof CachecastError) {
    io.err(`error ${error.code}: ${error.message}\n`);
    if (debug && error.stack) io.err(`${error.stack}\n`);
    process.exitCode = error.exitCode;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`error: ${message}\n${debug && error instanceof Error ? `${error.stack}\n` : '(run with --debug for the stack trace)\n'}`);
    process.exitCode = 1;
  }
}
