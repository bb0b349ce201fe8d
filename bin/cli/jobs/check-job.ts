// `cachecast check`'s work, in the worker thread the command supervises (simulator/isolate): run
// every variant of each scenario, print each expectation beside its bound, write JUnit, and fail
// with CC_ERR_EXPECTATION_FAILED (exit 1) if any expectation fails.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runScenario } from '../../../simulator/run.ts';
import type { Phases } from '../../../simulator/isolate/phase-board.ts';
import type { JobIo } from '../../../simulator/isolate/protocol.ts';
import { ScenarioFormatError } from '../../../scenarios/kit/validate.ts';
import { CachecastError } from '../../../core/errors.ts';
import { type CheckResult, toJunit } from '../junit.ts';
import { builtInScenarios, checkVariant, loadScenario } from '../load-scenario.ts';

export interface CheckOptions {
  all: boolean;
  junit?: string;
  seed?: string;
  variant?: string[];
  json: boolean;
  timeout?: string;
}

const formatMeasured = (value: number): string => (Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(4));

export default async ({ refs, options }: { refs: string[]; options: CheckOptions }, io: JobIo, phases: Phases): Promise<void> => {
  const names = options.all ? builtInScenarios() : refs;
  const results: CheckResult[] = [];
  for (const ref of names) {
    phases.enter('import', { scenario: ref });
    const scenario = phases.watch(await loadScenario(ref, io.cwd));
    const variants = options.variant ?? Object.keys(scenario.variants);
    for (const variant of variants) {
      checkVariant(scenario, variant);
      phases.enter('simulate', { scenario: scenario.name, variant });
      const started = performance.now();
      const summary = await runScenario({ scenario, variant, seed: options.seed, onProgress: (p) => phases.progress(p.fraction) }).catch((error: unknown) => {
        if (error instanceof ScenarioFormatError) throw new CachecastError('CC_ERR_SCENARIO_INVALID', `scenario "${scenario.name}" (${variant}): ${error.message}`);
        throw error;
      });
      const seconds = (performance.now() - started) / 1000;
      if (summary.expectations.length === 0) io.err(`warning: ${scenario.name}/${variant} has no expectations\n`);
      for (const e of summary.expectations) results.push({ scenario: scenario.name, variant, ...e, seconds: seconds / summary.expectations.length });
      if (!options.json) {
        for (const e of summary.expectations) {
          io.out(`${e.pass ? 'PASS' : 'FAIL'}  ${`${scenario.name}/${variant}`.padEnd(42)} ${e.name.padEnd(40)} ${(e.noData === true ? 'no data' : formatMeasured(e.measured)).padStart(12)}  want ${e.bound}\n`);
        }
      }
    }
  }
  if (options.junit) writeFileSync(resolve(io.cwd, options.junit), toJunit(results));
  const failed = results.filter((r) => !r.pass);
  if (options.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
  else io.out(`\n${results.length - failed.length} passed, ${failed.length} failed\n`);
  if (failed.length > 0) {
    throw new CachecastError(
      'CC_ERR_EXPECTATION_FAILED',
      `${failed.length} expectation(s) failed: ${failed.map((f) => `${f.scenario}/${f.variant} ${f.name}`).join(', ')}`,
      1,
    );
  }
};
