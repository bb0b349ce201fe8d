import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { CachecastError } from '../../../core/errors.ts';
import type { Totals } from '../../../core/ledger/run-summary.ts';
import type { SweepAxis, SweepResult } from '../../../core/ledger/sweep.ts';
import { mergeConfig, type ProviderConfig } from '../../../core/model/config.ts';
import { PROFILES } from '../../../core/model/index.ts';
import { baselineVariant } from '../../../scenarios/kit/format.ts';
import { byMetric, pointFigures, type SweepMetric } from '../../../reports/sweep/points.ts';
import { writeSweepData, writeSweepReport } from '../../../reports/sweep/write-sweep.ts';
import { applySettings, parseSetFlag } from '../../../simulator/sweep/config-path.ts';
import { mergeSweeps } from '../../../simulator/sweep/merge.ts';
import { parseShard, pointCount, pointSettings } from '../../../simulator/sweep/plan.ts';
import { traceBaseConfig, type SweepTarget } from '../../../simulator/sweep/run-point.ts';
import { runSweep } from '../../../simulator/sweep/sweep.ts';
import type { CliIo } from '../io.ts';
import { checkVariant, loadScenario, scenarioPath } from '../load-scenario.ts';
import { createProgress } from '../progress.ts';
import { blockSizeOf, profileOf, REPLAY_DEFAULTS } from './replay.ts';

export const SWEEP_DEFAULTS = { seeds: 1, metric: 'costPerRequestUsd' as SweepMetric };

interface SweepFlags {
  set: string[];
  seeds: string;
  jobs?: string;
  out?: string;
  shard?: string;
  metric: string;
  profile: string;
  variant?: string;
  blockSize: string;
  model?: string;
  seed?: string;
  json: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const positiveInt = (flag: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CachecastError('CC_ERR_USAGE', `${flag}: expected a positive whole number, got "${value}"`);
  return n;
};

const TRACE_FILE = /\.(jsonl|ndjson|csv|json)$/i;

const METRICS: SweepMetric[] = ['costPerRequestUsd', 'costUsd', 'hitRate', 'ttftP50Ms', 'ttftP95Ms', 'ttftP99Ms', 'rateLimited', 'cacheReadTokens', 'cacheWriteTokens', 'inputTokens'];

const metricOf = (value: string): SweepMetric => {
  if (!(METRICS as string[]).includes(value)) throw new CachecastError('CC_ERR_USAGE', `--metric: expected one of ${METRICS.join(', ')}, got "${value}"`);
  return value as SweepMetric;
};

/** Every point's config is built and validated before any run starts: a bad path or value fails at once. */
const checkPoints = (base: ProviderConfig, axes: SweepAxis[]): void => {
  for (let p = 0; p < pointCount(axes); p++) applySettings(base, pointSettings(axes, p));
};

const label = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The terminal table: points sorted by the metric, with the ratio to the baseline (point 0). */
export const formatSweepTable = (result: SweepResult, metric: SweepMetric): string => {
  const figures = pointFigures(result, metric);
  const baseline = figures.find((f) => f.point === 0);
  const paths = result.axes.map((a) => a.path);
  const header = [...paths, 'cost/request', 'hit rate', '429s', 'TTFT p95', metric === 'costPerRequestUsd' ? '' : metric, 'x baseline'].filter((h) => h !== '');
  const value = (t: Totals): string => (metric === 'hitRate' ? `${(t.hitRate * 100).toFixed(2)} %` : String(+t[metric].toPrecision(5)));
  const rows = byMetric(figures, metric).map((f) => {
    const ratio = baseline === undefined || baseline.mean[metric] === 0 ? '-' : (f.mean[metric] / baseline.mean[metric]).toFixed(3);
    const cells = [...paths.map((p) => label(f.settings[p])), `$${f.mean.costPerRequestUsd.toFixed(6)}`, `${(f.mean.hitRate * 100).toFixed(2)} %`, String(+f.mean.rateLimited.toFixed(1)), `${f.mean.ttftP95Ms.toFixed(0)} ms`];
    if (metric !== 'costPerRequestUsd') cells.push(value(f.mean));
    cells.push(f.point === 0 ? `${ratio} (baseline)` : ratio);
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < paths.length ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const seeds = result.seeds > 1 ? `, mean of ${result.seeds} seeds` : '';
  return `${result.target} / ${result.variant}: ${figures.length} points${seeds}, sorted by ${metric}\n${line(header)}\n${rows.map(line).join('\n')}\n`;
};

const mergeCommand = (io: CliIo): Command =>
  new Command('merge')
    .description('join the sweep.json of every shard of one sweep into the whole (sweep.json, sweep.csv, charts, sweep.html)')
    .argument('<sweep-json...>', 'the sweep.json (or directory holding it) of each shard')
    .option('--out <dir>', 'output directory (required)')
    .option('--metric <name>', `the charted and sorted metric (default: ${SWEEP_DEFAULTS.metric})`)
    .action(async (files: string[], own: { out?: string; metric?: string }, command: Command) => {
      // `sweep` has --out and --metric too, and commander gives them to it: read either.
      const parent = command.parent?.opts<{ out?: string; metric?: string }>() ?? {};
      const flags = { out: own.out ?? parent.out, metric: own.metric ?? parent.metric ?? SWEEP_DEFAULTS.metric };
      if (flags.out === undefined) throw new CachecastError('CC_ERR_USAGE', 'sweep merge: --out <dir> is required');
      const metric = metricOf(flags.metric);
      const parts = files.map((file) => {
        const path = resolve(io.cwd, file.endsWith('.json') ? file : join(file, 'sweep.json'));
        if (!existsSync(path)) throw new CachecastError('CC_ERR_USAGE', `sweep merge: ${file}: no sweep.json there`);
        try {
          return { name: file, result: JSON.parse(readFileSync(path, 'utf8')) as SweepResult };
        } catch (error) {
          throw new CachecastError('CC_ERR_SWEEP_MISMATCH', `sweep merge: ${file} is not a sweep.json (${(error as Error).message})`);
        }
      });
      const whole = mergeSweeps(parts);
      const outDir = resolve(io.cwd, flags.out);
      const written = await writeSweepReport(whole, outDir, metric);
      io.out(formatSweepTable(whole, metric));
      io.out(`sweep: ${relative(io.cwd, written.html)}\n`);
    });

export const sweepCommand = (io: CliIo): Command =>
  new Command('sweep')
    .description('run a scenario or a trace over the cross product of --set values (and seeds), in parallel; writes sweep.json, sweep.csv, charts and sweep.html')
    .argument('<scenario-or-trace>', 'a built-in scenario name, a scenario .ts file, or a trace (.jsonl, .ndjson, .csv)')
    .option('--set <path=v1,v2,...>', 'a provider config path and its values, e.g. nodes.count=1,2,4 or caching.ttlMs.5m=5m,1h; traffic.scale=0.5,1,2 multiplies arrival rates (repeatable; the first value of each is the baseline)', collect, [])
    .option('--seeds <n>', `seeds per point (default: ${SWEEP_DEFAULTS.seeds})`, String(SWEEP_DEFAULTS.seeds))
    .option('--jobs <n>', 'worker threads (default: the core count)')
    .option('--shard <i/n>', 'run only the i-th of n shares of the points (join them with `cachecast sweep merge`)')
    .option('--metric <name>', `the charted and sorted metric (default: ${SWEEP_DEFAULTS.metric})`, SWEEP_DEFAULTS.metric)
    .option('--out <dir>', 'output directory (default: runs/sweep-<target>)')
    .option('--variant <name>', 'scenario variant (default: its baseline)')
    .option('--profile <name>', `traces: provider profile (default: ${REPLAY_DEFAULTS.profile})`, REPLAY_DEFAULTS.profile)
    .option('--block-size <tokens>', `traces: tokens per block (default: ${REPLAY_DEFAULTS.blockSize})`, String(REPLAY_DEFAULTS.blockSize))
    .option('--model <id>', 'traces: model for traces that record none')
    .option('--seed <seed>', 'base seed (default: the scenario\'s own, or "replay")')
    .option('--json', 'print sweep.json to stdout instead of the table', false)
    .addCommand(mergeCommand(io))
    .action(async (ref: string, flags: SweepFlags) => {
      const metric = metricOf(flags.metric);
      const seeds = positiveInt('--seeds', flags.seeds);
      const jobs = flags.jobs === undefined ? availableParallelism() : positiveInt('--jobs', flags.jobs);
      const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
      const axes: SweepAxis[] = flags.set.map(parseSetFlag);
      if (axes.length === 0) throw new CachecastError('CC_ERR_USAGE', 'sweep: give at least one --set path=v1,v2,...');
      const seen = new Set<string>();
      for (const { path } of axes) {
        if (seen.has(path)) throw new CachecastError('CC_ERR_USAGE', `--set ${path}: given twice; list its values in one flag`);
        seen.add(path);
      }
      const asFile = resolve(io.cwd, ref);
      let target: SweepTarget;
      let name: string;
      let variant: string;
      let baseSeed: string;
      if (TRACE_FILE.test(ref) && existsSync(asFile)) {
        target = { kind: 'trace', file: asFile, profile: profileOf(flags.profile), blockTokens: blockSizeOf(flags.blockSize), model: flags.model };
        checkPoints(traceBaseConfig(target), axes);
        name = basename(ref);
        variant = target.profile;
        baseSeed = flags.seed ?? REPLAY_DEFAULTS.seed;
      } else {
        const scenario = await loadScenario(ref, io.cwd);
        variant = flags.variant ?? baselineVariant(scenario);
        checkVariant(scenario, variant);
        const spec = scenario.setup(variant);
        checkPoints(mergeConfig<ProviderConfig>(PROFILES[spec.provider.profile], spec.provider.overrides), axes);
        target = { kind: 'scenario', path: scenarioPath(ref, io.cwd), variant };
        name = scenario.name;
        baseSeed = flags.seed ?? scenario.seed;
      }
      const outDir = resolve(io.cwd, flags.out ?? join('runs', `sweep-${name.replace(/\.[^.]+$/, '')}${shard === undefined ? '' : `-${shard.index}of${shard.count}`}`));
      const progress = createProgress(io, `sweep ${name}`);
      const started = performance.now();
      const result = await runSweep({
        target,
        name,
        variant,
        axes,
        baseSeed,
        seeds,
        jobs,
        shard,
        onProgress: (done, total) => progress.update(done / total, `${done}/${total} runs`),
      });
      progress.done();
      io.err(`${result.rows.length} runs on ${jobs} job(s) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      if (shard !== undefined) {
        const written = writeSweepData(result, outDir);
        io.out(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `shard ${shard.index}/${shard.count}: ${result.rows.length} runs; ${relative(io.cwd, written.json)} (join the shards with \`cachecast sweep merge\`)\n`);
        return;
      }
      const written = await writeSweepReport(result, outDir, metric);
      io.out(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatSweepTable(result, metric));
      io.err(`sweep: ${relative(io.cwd, written.html)} (${written.charts.length} charts, sweep.json, sweep.csv)\n`);
    });
