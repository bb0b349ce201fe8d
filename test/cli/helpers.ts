import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from '../../bin/cli/io.ts';
import { createProgram } from '../../bin/cli/program.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'cachecast-'));

/** Runs the CLI in-process; returns what it printed, and the error it threw if any. */
export const runCli = async (args: string[], cwd = ROOT) => {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), cwd, isTty: false };
  try {
    await createProgram(io).parseAsync(args, { from: 'user' });
    return { out, err, error: undefined };
  } catch (error) {
    return { out, err, error: error as Error & { code?: string; exitCode?: number } };
  }
};

/** Runs the real `bin/cachecast` in a child process, for exit codes and stderr. */
export const spawnCli = (args: string[], cwd = ROOT) => {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/cachecast'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
