import { Command } from 'commander';
import type { CliIo } from './io.ts';

/**
 * `addCommand` does not pass the program's settings down, so each command (and its subcommands)
 * gets them here: errors throw instead of exiting the process, and output goes to `io`.
 */
const withProgramSettings = (command: Command, io: CliIo): Command => {
  command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }).showHelpAfterError('(add --help for usage)');
  for (const sub of command.commands) withProgramSettings(sub, io);
  return command;
};

/** The CLI with the given commands (all of them in program.ts; the one asked for in main.ts). */
export const programOf = (io: CliIo, commands: ReadonlyArray<(io: CliIo) => Command>): Command => {
  const program = new Command('cachecast')
    .description(
      'Rehearse how an LLM provider\'s prompt cache and rate limits turn traffic into cost.\n' +
        'Simulate a scenario in virtual time (run, check), serve a mock provider (serve),\n' +
        'drive it with k6 (k6 build, live), chart any ledger (report) and find what breaks\n' +
        'the cache in your own request logs (doctor).',
    )
    .option('--debug', 'print stack traces for errors', false)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  for (const make of commands) program.addCommand(withProgramSettings(make(io), io));
  return program;
};
