// Bundles k6-stages-script.ts as `cachecast k6 build` bundles a scenario and runs it on a real k6
// against the bench's mock provider: the bundle's own JavaScript per request, by stage.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { K6_ESBUILD_OPTIONS } from '../../k6/build.ts';

/** Microseconds of k6 CPU a request, per stage of the bundle's own code. */
export interface K6Stages {
  build: number;
  encode: number;
  decode: number;
  metrics: number;
  requestBytes: number;
  answerBytes: number;
}

export const measureK6Stages = async (k6: string, target: string): Promise<K6Stages> => {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-k6-stages-'));
  try {
    const script = join(dir, 'stages.js');
    await build({ ...K6_ESBUILD_OPTIONS, entryPoints: [join(import.meta.dirname, 'k6-stages-script.ts')], outfile: script, logLevel: 'silent' });
    // Asynchronously: the mock provider answering the script's one request runs in this process.
    const run = await promisify(execFile)(k6, ['run', '--no-usage-report', '-q', '--address', '', '--log-format', 'raw', '-e', `TARGET=${target}`, script], { cwd: dir, encoding: 'utf8' }).catch(
      (error: { stdout?: string; stderr?: string; message: string }) => ({ stdout: error.stdout ?? '', stderr: `${error.stderr ?? ''}\n${error.message}` }),
    );
    const line = `${run.stdout}\n${run.stderr}`.split('\n').find((l) => l.startsWith('{"cachecastStages"'));
    if (line === undefined) throw new Error(`k6 stages script printed no figures: ${run.stderr.slice(-1500)}`);
    return (JSON.parse(line) as { cachecastStages: K6Stages }).cachecastStages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
