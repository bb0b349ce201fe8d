import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { baselineVariant } from '../../../scenarios/kit/format.ts';
import { CachecastError } from '../../../core/errors.ts';
import { formatSummary } from '../format-summary.ts';
import type { CliIo } from '../io.ts';
import { K6_DEFAULTS } from '../../../k6/defaults.ts';
import { runLive } from '../../../k6/live.ts';
import type { LiveHealth } from '../../../k6/live-health.ts';
import type { Totals } from '../../../core/ledger/run-summary.ts';
import { parseTimeScale } from '../parse-flags.ts';
import { checkVariant, loadScenario, scenarioPath } from '../load-scenario.ts';
import { parseWindow } from '../../../scenarios/kit/scenario-time.ts';

interface LiveFlags {
  variant?: string;
  timeScale: string;
  maxRps: string;
  k6?: string;
  out?: string;
  window?: string;
  k6Instances: string;
}

const formatHealth = (health: LiveHealth, timeScale: number, live: Totals, simulated: Totals): string => {
  const lines = [
    `  live           time scale ${timeScale}; ${health.requests.toLocaleString('en-US')} requests (simulator: ${health.simulatedRequests.toLocaleString('en-US')}), ` +
      `${health.droppedIterations.toLocaleString('en-US')} dropped iterations, ${health.unexpectedResponses.toLocaleString('en-US')} unexpected responses`,
    `  simulator      hit rate ${(simulated.hitRate * 100).toFixed(2)} %, cost per request $${simulated.costPerRequestUsd.toFixed(6)} (live: ${(live.hitRate * 100).toFixed(2)} %, $${live.costPerRequestUsd.toFixed(6)})`,
    ...health.warnings.slice(0, 10).map((w) => `  k6 warning     ${w}`),
    ...(health.warnings.length > 10 ? [`  k6 warning     ... and ${health.warnings.length - 10} more`] : []),
  ];
  return `${lines.join('\n')}\n`;
};

/** k6 exits 99 when a threshold fails. */
const K6_THRESHOLDS_FAILED = 99;

export const liveCommand = (io: CliIo): Command =>
  new Command('live')
    .description(
      'rehearse a scenario over real HTTP: the mock provider on 127.0.0.1, driven by k6;\n' +
        'writes ledger.ndjson, k6-summary.json and summary.json',
    )
    .argument('<scenario>', 'a built-in scenario name (see `cachecast list`) or a path to a scenario .ts file')
    .option('--variant <name>', 'scenario variant (default: the scenario\'s first, its baseline)')
    .option('--time-scale <n>', "provider ms per wall ms (60: a wall second is a provider minute), or 'auto': the largest this machine can drive", String(K6_DEFAULTS.liveTimeScale))
    .option('--max-rps <n>', 'peak wall requests per second this machine can drive (k6 + mock provider; `npm run bench` measures it)', String(K6_DEFAULTS.maxRps))
    .option('--k6 <path>', 'the k6 binary (default: k6 on PATH)')
    .option('--out <dir>', 'output directory (default: runs/<scenario>-<variant>-live)')
    .option('--k6-instances <n>', 'run k6 as this many processes, each one execution segment (as k6-operator does); together they send every request once', '1')
    .option(
      '--window <from..to>',
      'rehearse only this window (13:55..14:10 as on the charts, UTC, or offsets 115m..130m): the simulator runs to its start,\n' +
        'the mock provider starts from that state, k6 sends only the window\'s requests; compared with the same window simulated (default: all)',
    )
    .action(async (ref: string, flags: LiveFlags) => {
      const timeScale = flags.timeScale === 'auto' ? 'auto' : parseTimeScale(flags.timeScale);
      const maxRps = Number(flags.maxRps);
      if (!Number.isFinite(maxRps) || maxRps <= 0) throw new CachecastError('CC_ERR_USAGE', `--max-rps must be a positive number of requests per wall second, got "${flags.maxRps}"`);
      const path = scenarioPath(ref, io.cwd);
      // A scenario's own code runs on this thread here: say so first, in case it never returns.
      io.err(`loading scenario ${ref}…\n`);
      const scenario = await loadScenario(ref, io.cwd);
      const variant = flags.variant ?? baselineVariant(scenario);
      checkVariant(scenario, variant);
      const outDir = resolve(io.cwd, flags.out ?? join('runs', `${scenario.name}-${variant}-live`));
      const k6Instances = Number(flags.k6Instances);
      if (!Number.isInteger(k6Instances) || k6Instances < 1 || k6Instances > 64) {
        throw new CachecastError('CC_ERR_USAGE', `--k6-instances must be a whole number from 1 to 64, got "${flags.k6Instances}"`);
      }
      if (flags.window !== undefined) {
        try {
          parseWindow(flags.window, scenario.startMs);
        } catch (error) {
          throw new CachecastError('CC_ERR_USAGE', `--window: ${(error as Error).message}`);
        }
      }
      const { summary, plan, health, k6ExitCode, paths, timeScale: scale } = await runLive({
        scenario,
        scenarioPath: path,
        variant,
        timeScale,
        maxRps,
        k6: flags.k6,
        outDir,
        io,
        ...(flags.window === undefined ? {} : { window: flags.window }),
        k6Instances,
      });
      io.out(formatSummary(summary));
      // With --window, the simulator's figures are the same window's, from the same state (window.json).
      io.out(formatHealth(health, scale, summary.totals, plan.simulated.totals));
      io.err(`ledger: ${relative(io.cwd, paths.ledger)}; k6 summary: ${relative(io.cwd, paths.k6Summary)}; summary: ${relative(io.cwd, paths.summary)}\n`);
      // A run that did not send its traffic fails whatever its expectations say: its figures are not the scenario's.
      if (health.degraded.length > 0) {
        throw new CachecastError('CC_ERR_LIVE_DEGRADED', `live run of ${scenario.name}/${variant} did not send its traffic: ${health.degraded.join('; ')}`, 1);
      }
      const failed = summary.expectations.filter((e) => !e.pass);
      if (k6ExitCode === K6_THRESHOLDS_FAILED || failed.length > 0) {
        const what = [...(k6ExitCode === K6_THRESHOLDS_FAILED ? ['a k6 threshold'] : []), ...failed.map((e) => e.name)];
        throw new CachecastError('CC_ERR_EXPECTATION_FAILED', `live run of ${scenario.name}/${variant} failed: ${what.join(', ')}`, 1);
      }
      if (k6ExitCode !== 0) throw new Error(`k6 exited with code ${k6ExitCode}`);
    });
