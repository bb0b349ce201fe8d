import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parseDuration } from '../../../scenarios/kit/durations.ts';
import { writeReport } from '../../../reports/write-report.ts';
import type { CliIo } from '../io.ts';

const bucket = (value: string): number => {
  try {
    const ms = parseDuration(value);
    if (ms <= 0) throw new Error('must be positive');
    return ms;
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a bucket width (use e.g. 30s, 1m, 15m, 1h, 1d)`);
  }
};

const tenantList = (value: string): string[] => {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new InvalidArgumentError('give at least one tenant name, e.g. --tenant acme or --tenant acme,globex');
  return names;
};

export const reportCommand = (io: CliIo): Command =>
  new Command('report')
    .description(
      'chart one or more ledgers: cost by token kind, hit rate, requests and 429s, TTFT percentiles,\n' +
        'per-session hit rates and node load, overlaid by variant (the first input is the baseline);\n' +
        'writes SVG and PNG charts, a self-contained report.html and report.json',
    )
    .argument('<ledger-or-run-dir...>', 'ledger .ndjson files or run directories (with ledger.ndjson and summary.json)')
    .option('--out <dir>', 'output directory (default: report/ beside the first input)')
    .option('--bucket <width>', 'bucket width, e.g. 30s, 1m, 1h (default: from the run\'s span, 60–200 buckets)', bucket)
    .option('--title <text>', 'report title (default: the scenario names)')
    .option('--tenant <names>', 'chart only these tenants\' requests, comma-separated (default: every tenant); provider events stay', tenantList)
    .action(async (inputs: string[], options: { out?: string; bucket?: number; title?: string; tenant?: string[] }) => {
      const first = resolve(io.cwd, inputs[0]);
      let outDir = options.out ? resolve(io.cwd, options.out) : join(dirname(first), 'report');
      try {
        if (!options.out && statSync(first).isDirectory()) outDir = join(first, 'report');
      } catch {
        // resolveInput reports a missing input with its own message.
      }
      const files = await writeReport({
        inputs: inputs.map((i) => resolve(io.cwd, i)),
        outDir,
        bucketMs: options.bucket,
        title: options.title,
        tenants: options.tenant,
        onProgress: (rows) => io.err(`read ${rows.toLocaleString('en-US')} rows\n`),
        onWarning: (message) => io.err(`warning: ${message}\n`),
      });
      io.out(`report: ${files.htmlPath}\n`);
      io.err(`charts: ${files.pngPaths.length} PNG + SVG in ${outDir}; figures: ${files.jsonPath}\n`);
    });
