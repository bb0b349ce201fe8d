import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { baselineVariant } from '../../../scenarios/kit/format.ts';
import type { CliIo } from '../io.ts';
import { buildK6Script } from '../../../k6/build.ts';
import { K6_DEFAULTS } from '../../../k6/defaults.ts';
import { parseTarget, parseTimeScale } from '../parse-flags.ts';
import { checkVariant, loadScenario, scenarioPath } from '../load-scenario.ts';

interface BuildOptions {
  variant?: string;
  timeScale: string;
  target: string;
  out?: string;
}

const buildCommand = (io: CliIo): Command =>
  new Command('build')
    .description('bundle a scenario into one k6 script (plain JavaScript, k6 0.48 or later)')
    .argument('<scenario>', 'a built-in scenario name (see `cachecast list`) or a path to a scenario .ts file')
    .option('--variant <name>', 'scenario variant (default: the scenario\'s first, its baseline)')
    .option('--time-scale <n>', 'provider ms per wall ms: durations, start times and think times ÷ n, rates × n', String(K6_DEFAULTS.buildTimeScale))
    .option('--target <url>', 'origin of the OpenAI- or Anthropic-compatible endpoint (override at run time with -e CACHECAST_TARGET=...)', K6_DEFAULTS.target)
    .option('--out <file>', 'output file (default: <scenario>-<variant>.k6.js)')
    .action(async (ref: string, options: BuildOptions) => {
      const timeScale = parseTimeScale(options.timeScale);
      const target = parseTarget(options.target);
      const path = scenarioPath(ref, io.cwd);
      // A scenario's own code runs on this thread here: say so first, in case it never returns.
      io.err(`loading scenario ${ref}…\n`);
      const scenario = await loadScenario(ref, io.cwd);
      const variant = options.variant ?? baselineVariant(scenario);
      checkVariant(scenario, variant);
      const outFile = resolve(io.cwd, options.out ?? `${scenario.name}-${variant}.k6.js`);
      const bundle = await buildK6Script({ scenario, scenarioPath: path, variant, timeScale, target, outFile });
      for (const note of bundle.notes) io.err(`note: ${note}\n`);
      for (const [name, s] of Object.entries(bundle.scenarios)) io.err(`  ${name}: ${s.executor}${s.startTime ? ` from ${s.startTime}` : ''}\n`);
      io.out(`${relative(io.cwd, outFile) || outFile} (${(bundle.bytes / 1024).toFixed(1)} kB): k6 run ${relative(io.cwd, outFile) || outFile}\n`);
    });

export const k6Command = (io: CliIo): Command =>
  new Command('k6').description('drive real HTTP traffic with k6 from a scenario').addCommand(buildCommand(io));
