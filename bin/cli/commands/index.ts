import type { Command } from 'commander';
import type { CliIo } from '../io.ts';

/** Every subcommand: a factory from io to a commander Command. Add one line per command. */
export const commands: Array<(io: CliIo) => Command> = [];
