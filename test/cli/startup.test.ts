// main.ts loads only the command a command line names (commands/by-name.ts); index.ts lists them
// all for --help and tests. The two lists must name the same commands, each to its own module.

import { describe, expect, it } from 'vitest';
import { COMMANDS_BY_NAME, commandNamed } from '../../bin/cli/commands/by-name.ts';
import { commands } from '../../bin/cli/commands/index.ts';
import type { CliIo } from '../../bin/cli/io.ts';

const io: CliIo = { out: () => undefined, err: () => undefined, cwd: process.cwd(), isTty: false };

describe('commands loaded by name', () => {
  it('are exactly the commands of the whole CLI, each loading its own', async () => {
    const all = commands.map((make) => make(io).name());
    expect(Object.keys(COMMANDS_BY_NAME).sort()).toEqual([...all].sort());
    for (const [name, load] of Object.entries(COMMANDS_BY_NAME)) expect((await load())(io).name()).toBe(name);
  });

  it('take the first word that is not an option as the command', () => {
    expect(commandNamed(['--debug', 'run', 'stampede', '--seed', 'x'])).toBe('run');
    expect(commandNamed(['--help'])).toBeUndefined();
  });
});
