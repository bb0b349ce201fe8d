import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { baselineVariant } from '../../../scenarios/kit/format.ts';
import { openLedger } from '../../../core/ledger/writer.ts';
import { runScenario } from '../../../simulator/run.ts';
import { formatSummary } from '../format-summary.ts';
import type { CliIo } from '../io.ts';
import { checkVariant, loadScenario } from '../load-scenario.ts';
import { createProgress } from '../progress.ts';

interface RunOptions {
  variant?: string;
  seed?: string;
  out?: string;
  report: boolean;
  json: boolean;
}

export const runCommand = (io: CliIo): Command =>
  new Command('run')
    .description('simulate a scenario in virtual time; writes ledger.ndjson and summary.json')
    .argument('<scenario>', 'a built-in scenario name (see `cachecast list`) or a path to a scenario .ts file')
    .option('--variant <name>', 'scenario variant (default: the scenario\'s first, its baseline)')
    .option('--seed <seed>', 'seed for every random draw (default: the scenario\'s own seed)')
    .option('--out <dir>', 'output directory (default: runs/<scenario>-<variant>)')
    .option('--report', 'also write the HTML report (charts, totals) into <dir>/report', false)
    .option('--json', 'print summary.json to stdout instead of the table', false)
    .action(async (ref: string, options: RunOptions) => {
      const scenario = await loadScenario(ref, io.cwd);
      const variant = options.variant ?? baselineVariant(scenario);
      checkVariant(scenario, variant);
      const outDir = resolve(io.cwd, options.out ?? join('runs', `${scenario.name}-${variant}`));
      mkdirSync(outDir, { recursive: true });
      const ledgerPath = join(outDir, 'ledger.ndjson');
      const ledger = openLedger(ledgerPath);
      const progress = createProgress(io, `${scenario.name}/${variant}`);
      const summary = await runScenario({
        scenario,
        variant,
        seed: options.seed,
        sink: ledger.write,
        drain: ledger.drain,
        onProgress: (p) => progress.update(p.fraction, `${p.events.toLocaleString('en-US')} events`),
      });
      await ledger.close();
      progress.update(1, `${ledger.rows().toLocaleString('en-US')} rows`);
      progress.done();
      writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      io.out(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      io.err(`ledger: ${relative(io.cwd, ledgerPath) || ledgerPath} (${ledger.rows().toLocaleString('en-US')} rows)\n`);
      if (options.report) {
        const { writeReport } = await import('../../../reports/write-report.ts');
        const report = await writeReport({ inputs: [outDir], outDir: join(outDir, 'report') });
        io.out(`report: ${report.htmlPath}\n`);
      }
    });
