// What the CLI costs around a run (issue 16, item 11): `cachecast run` does its work in a worker
// thread and loads only the command named. Measured: how soon the first line reaches stderr, and
// the whole `run stampede` against the same simulation in this process (ledger written by both),
// so the difference is start-up, the worker and writing the summary. Printed, never asserted.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openLedger } from '../../core/ledger/writer.ts';
import { loadScenario } from '../../bin/cli/load-scenario.ts';
import { runScenario } from '../../simulator/run.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const median = (values: number[]): number => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One `cachecast run`: ms to its first stderr line and to its exit. */
const timeCli = (args: string[]): Promise<{ firstLineMs: number; totalMs: number }> =>
  new Promise((done, fail) => {
    const started = performance.now();
    let firstLineMs = Number.NaN;
    const child = spawn(process.execPath, [join(ROOT, 'bin/cachecast'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', () => {
      if (Number.isNaN(firstLineMs)) firstLineMs = performance.now() - started;
    });
    child.on('exit', (code) => (code === 0 ? done({ firstLineMs, totalMs: performance.now() - started }) : fail(new Error(`cachecast ${args.join(' ')} exited ${code}`))));
  });

const timeInProcess = async (scenarioName: string, dir: string): Promise<number> => {
  const scenario = await loadScenario(scenarioName, ROOT);
  const started = performance.now();
  const ledger = openLedger(join(dir, 'in-process.ndjson'));
  await runScenario({ scenario, variant: Object.keys(scenario.variants)[0], sink: ledger.write, drain: ledger.drain });
  await ledger.close();
  return performance.now() - started;
};

export const benchCliStartup = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-bench-'));
  try {
    const cli: Array<{ firstLineMs: number; totalMs: number }> = [];
    const inProcess: number[] = [];
    for (let i = 0; i < 3; i++) {
      cli.push(await timeCli(['run', 'stampede', '--out', join(dir, 'cli')]));
      inProcess.push(await timeInProcess('stampede', dir));
    }
    const first = median(cli.map((c) => c.firstLineMs));
    const total = median(cli.map((c) => c.totalMs));
    const sim = median(inProcess);
    console.log(`cachecast run stampede: first stderr line after ${first.toFixed(0)} ms, done in ${total.toFixed(0)} ms (median of 3)`);
    console.log(`the same simulation and ledger in this process: ${sim.toFixed(0)} ms; the CLI around it (start-up, worker, summary) ${(total - sim).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
