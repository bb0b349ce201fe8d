import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { runScenario } from '../../../simulator/run.ts';
import { ScenarioFormatError } from '../../../scenarios/kit/validate.ts';
import { CachecastError } from '../../../core/errors.ts';
import type { CliIo } from '../io.ts';
import { type CheckResult, toJunit } from '../junit.ts';
import { builtInScenarios, checkVariant, loadScenario } from '../load-scenario.ts';

interface CheckOptions {
  all: boolean;
  junit?: string;
  seed?: string;
  variant?: string[];
  json: boolean;
}

const formatMeasured = (value: number): string => (Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(4));

export const checkCommand = (io: CliIo): Command =>
  new Command('check')
    .description(
      'run scenarios\' variants in the simulator and gate on their expectations: prints a pass/fail\n' +
        'table with each measured figure beside its bound, exits 1 when any fails',
    )
    .argument('[scenario...]', 'built-in scenario names or paths to scenario .ts files')
    .option('--all', 'check every built-in scenario', false)
    .option('--variant <name...>', 'only these variants (default: all of each scenario\'s variants)')
    .option('--seed <seed>', 'seed for every run (default: each scenario\'s own seed)')
    .option('--junit <file>', 'also write JUnit XML to this file (for CI test reports)')
    .option('--json', 'print the results as JSON instead of the table', false)
    .action(async (refs: string[], options: CheckOptions) => {
      const names = options.all ? builtInScenarios() : refs;
      if (names.length === 0) throw new CachecastError('CC_ERR_USAGE', 'name at least one scenario, or pass --all');
      const results: CheckResult[] = [];
      for (const ref of names) {
        const scenario = await loadScenario(ref, io.cwd);
        const variants = options.variant ?? Object.keys(scenario.variants);
        for (const variant of variants) {
          checkVariant(scenario, variant);
          const started = performance.now();
          const summary = await runScenario({ scenario, variant, seed: options.seed }).catch((error: unknown) => {
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
    });
