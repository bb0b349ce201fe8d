import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { CachecastError } from '../../../core/errors.ts';
import { openLedger } from '../../../core/ledger/writer.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../../core/model/index.ts';
import { lruBlocksWithBlockSize } from '../../../core/model/profiles/lru-blocks.ts';
import { replayTrace } from '../../../simulator/replay/replay.ts';
import { ON_ERROR_MODES, type OnError } from '../../../simulator/replay/request-log.ts';
import { applySettings, parseSetFlag, type Setting, trafficScaleOf } from '../../../simulator/sweep/config-path.ts';
import { formatSummary } from '../format-summary.ts';
import type { CliIo } from '../io.ts';

export const REPLAY_DEFAULTS = { profile: 'anthropic' as ProfileName, seed: 'replay', blockSize: 512, onError: 'stop' as OnError };

interface ReplayFlags {
  profile: string;
  set: string[];
  model?: string;
  blockSize: string;
  seed: string;
  out?: string;
  report: boolean;
  json: boolean;
  onError: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export const profileOf = (name: string): ProfileName => {
  if (!(PROFILE_NAMES as string[]).includes(name)) throw new CachecastError('CC_ERR_USAGE', `--profile: expected one of ${PROFILE_NAMES.join(', ')}, got "${name}"`);
  return name as ProfileName;
};

export const onErrorOf = (value: string): OnError => {
  if (!(ON_ERROR_MODES as string[]).includes(value)) throw new CachecastError('CC_ERR_USAGE', `--on-error: expected skip or stop, got "${value}"`);
  return value as OnError;
};

export const blockSizeOf = (value: string): number => {
  const size = Number(value);
  if (!Number.isInteger(size) || size <= 0) throw new CachecastError('CC_ERR_USAGE', `--block-size: expected a positive whole number of tokens, got "${value}"`);
  return size;
};

/** --set flags of a single run: one value each. */
export const singleSettings = (flags: string[]): Setting[] =>
  flags.map((flag) => {
    const { path, values } = parseSetFlag(flag);
    if (values.length !== 1) throw new CachecastError('CC_ERR_USAGE', `--set ${flag}: one value here (several are for \`cachecast sweep\`)`);
    return { path, value: values[0] };
  });

export const replayCommand = (io: CliIo): Command =>
  new Command('replay')
    .description('run a recorded trace (hashed block trace, request log, Azure CSV) through the provider model; writes ledger.ndjson and summary.json')
    .argument('<trace>', 'a Mooncake-style block trace (.jsonl), a request log (.ndjson) or an Azure LLM inference CSV; the format is detected')
    .option('--profile <name>', `provider profile: ${PROFILE_NAMES.join(' | ')} (default: ${REPLAY_DEFAULTS.profile})`, REPLAY_DEFAULTS.profile)
    .option('--set <path=value>', 'override one provider config field, e.g. nodes.capacityTokens=5120000, caching.ttlMs.5m=1h, traffic.scale=2 (repeatable)', collect, [])
    .option('--model <id>', 'model for traces that record none (default: the profile\'s first model)')
    .option('--block-size <tokens>', `tokens per block of a block trace (default: ${REPLAY_DEFAULTS.blockSize}, the Mooncake traces'); with lru-blocks also the cache block`, String(REPLAY_DEFAULTS.blockSize))
    .option('--seed <seed>', `seed for the provider's random draws (default: ${REPLAY_DEFAULTS.seed})`, REPLAY_DEFAULTS.seed)
    .option('--out <dir>', 'output directory (default: runs/replay-<trace>-<profile>)')
    .option('--on-error <mode>', 'a bad line: stop (default) or skip it, reporting it on stderr', REPLAY_DEFAULTS.onError)
    .option('--report', 'also write the HTML report (charts, totals) into <dir>/report', false)
    .option('--json', 'print summary.json to stdout instead of the table', false)
    .action(async (trace: string, flags: ReplayFlags) => {
      const profile = profileOf(flags.profile);
      const onError = onErrorOf(flags.onError);
      const blockTokens = blockSizeOf(flags.blockSize);
      const settings = singleSettings(flags.set);
      // lru-blocks caches whole blocks: its increment and minimum follow the trace's block size.
      const base = profile === 'lru-blocks' ? lruBlocksWithBlockSize(blockTokens) : PROFILES[profile];
      const config = applySettings(base, settings);
      const file = resolve(io.cwd, trace);
      const outDir = resolve(io.cwd, flags.out ?? join('runs', `replay-${basename(trace).replace(/\.[^.]+$/, '')}-${profile}`));
      mkdirSync(outDir, { recursive: true });
      const ledgerPath = join(outDir, 'ledger.ndjson');
      const ledger = openLedger(ledgerPath);
      let skipped = 0;
      const summary = await replayTrace({
        file,
        config,
        seed: flags.seed,
        model: flags.model,
        blockTokens,
        trafficScale: trafficScaleOf(settings),
        onError,
        onSkip: (error) => {
          skipped++;
          io.err(`skipped: ${error.message}\n`);
        },
        sink: ledger.write,
        drain: ledger.drain,
        onProgress: (n) => {
          if (io.isTty) io.err(`\r${basename(trace)}: ${n.toLocaleString('en-US')} requests`);
        },
      }).finally(() => ledger.close());
      if (io.isTty) io.err('\n');
      writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      io.out(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      io.err(`ledger: ${relative(io.cwd, ledgerPath) || ledgerPath} (${ledger.rows().toLocaleString('en-US')} rows${skipped > 0 ? `, ${skipped} lines skipped` : ''})\n`);
      if (flags.report) {
        const { writeReport } = await import('../../../reports/write-report.ts');
        const report = await writeReport({ inputs: [outDir], outDir: join(outDir, 'report') });
        io.out(`report: ${report.htmlPath}\n`);
      }
    });
