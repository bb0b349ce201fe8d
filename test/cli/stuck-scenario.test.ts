// Issue 16, item 11: a scenario whose import, setup() or build() loops forever hung silently, and
// Ctrl-C could not stop it (a busy loop on the main thread never runs a signal handler). Now the
// scenario runs in a worker thread: the CLI shows each phase on stderr as it starts, and SIGINT or
// --timeout stops it with a CC_ERR_* code naming the scenario and where it was stuck. Each fixture
// writes a marker to stderr when its loop begins, so the tests wait for events, not for time.

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runCli, spawnCli, tempDir } from './helpers.ts';

const fixture = (name: string): string => join('test/cli/fixtures', `${name}.ts`);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** The real CLI in a child process: its stderr so far, a promise for a text appearing on it, and its exit. */
const startCli = (args: string[]) => {
  const child = spawn(process.execPath, [join(ROOT, 'bin/cachecast'), ...args], { cwd: ROOT });
  children.push(child);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const appeared = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const look = (): void => {
        if (stderr.includes(text)) resolve();
      };
      child.stderr.on('data', look);
      child.on('exit', () => reject(new Error(`exited before "${text}" appeared on stderr:\n${stderr}`)));
      look();
    });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return { child, stderr: () => stderr, appeared, exited };
};

describe('a scenario that loops forever', () => {
  it.each([
    ['import', 'loop-in-import', `while importing scenario ${fixture('loop-in-import')} (its module's top-level code)`, [`loading scenario ${fixture('loop-in-import')}…`]],
    ['setup', 'loop-in-setup', 'in setup("baseline") of scenario "loop-in-setup"', [`loading scenario ${fixture('loop-in-setup')}…`, 'loop-in-setup/baseline: setup…']],
    [
      'build',
      'loop-in-build',
      'in build() of scenario "loop-in-build" (baseline), traffic "chat", iteration 41',
      [`loading scenario ${fixture('loop-in-build')}…`, 'loop-in-build/baseline: setup…', 'loop-in-build/baseline: simulating…'],
    ],
  ])('in %s: shows its progress first, and Ctrl-C ends it with CC_ERR_INTERRUPTED naming where', async (phase, name, where, progress) => {
    const cli = startCli(['run', fixture(name), '--out', tempDir()]);
    await cli.appeared(`fixture: looping in ${phase}`);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    // The first line is the CLI's, printed before the scenario is even imported; then its phase
    // lines and the fixture's marker (two channels from the worker, so their relative order is
    // not fixed), and last the error, without a stack.
    const lines = cli.stderr().split('\n').filter(Boolean);
    const error = `error CC_ERR_INTERRUPTED: interrupted by Ctrl-C (SIGINT) ${where}`;
    expect(lines[0]).toBe(progress[0]);
    expect(lines.at(-1)).toBe(error);
    expect([...lines].sort()).toEqual([...progress, `fixture: looping in ${phase}`, error].sort());
    expect(lines.filter((line) => progress.includes(line))).toEqual(progress);
  });

  it('is stopped by check --timeout with CC_ERR_TIMEOUT, exit 124', () => {
    const result = spawnCli(['check', fixture('loop-in-build'), '--timeout', '2s']);
    expect(result.status).toBe(124);
    // Where it was depends on how far it got in 2 s on a loaded machine; the scenario is named either way.
    expect(result.stderr).toMatch(/^error CC_ERR_TIMEOUT: stopped by --timeout 2s .*loop-in-build/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names --timeout when it is not a duration', async () => {
    const result = await runCli(['check', 'stampede', '--timeout', 'soon']);
    expect([result.error?.code, result.error?.message]).toEqual(['CC_ERR_USAGE', '--timeout must be a duration such as 30s, 5m or 1h, got "soon"']);
    expect((await runCli(['run', 'stampede', '--timeout', '0s'])).error?.message).toBe('--timeout must be more than 0, got "0s"');
  });

  // live, k6 build and serve load a scenario on the main thread (their work is a server or a
  // bundle, not a simulation): they say so before its code runs, and Ctrl-C still ends them.
  it.each([
    ['k6 build', ['k6', 'build', fixture('loop-in-import'), '--out', join(tempDir(), 'x.js')]],
    ['live', ['live', fixture('loop-in-import'), '--k6', process.execPath, '--out', tempDir()]],
    ['serve', ['serve', '--scenario', fixture('loop-in-import'), '--port', '0']],
  ])('%s: says which scenario it is loading before running its code, and Ctrl-C ends it', async (_command, args) => {
    const cli = startCli(args);
    await cli.appeared('fixture: looping in import');
    expect(cli.stderr().split('\n')[0]).toBe(`loading scenario ${fixture('loop-in-import')}…`);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(null);
    expect(cli.child.signalCode).toBe('SIGINT');
  });
});
