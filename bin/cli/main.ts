import { CommanderError } from 'commander';
import { CachecastError } from '../../core/errors.ts';
import { processIo } from './io.ts';
import { createProgram } from './program.ts';

const io = processIo();
const debug = process.argv.includes('--debug');

try {
  await createProgram(io).parseAsync(process.argv);
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
