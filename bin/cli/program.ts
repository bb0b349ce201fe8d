import type { Command } from 'commander';
import type { CliIo } from './io.ts';
import { commands } from './commands/index.ts';
import { programOf } from './program-of.ts';

/** The whole CLI as a value: tests call `createProgram(io).parseAsync([...], { from: 'user' })`. */
export const createProgram = (io: CliIo): Command => programOf(io, commands);
