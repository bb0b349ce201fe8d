import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { baselineVariant } from '../../../scenarios/kit/format.ts';
import { providerConfigOf, ScenarioFormatError, specFor } from '../../../scenarios/kit/validate.ts';
import { createWireKeys } from '../../../k6/wire-keys.ts';
import { LedgerOpenError, openLedger } from '../../../core/ledger/writer.ts';
import { runScenario } from '../../../simulator/run.ts';
import { formatSummary } from '../format-summary.ts';
import type { CliIo } from '../io.ts';
import { checkVariant, loadScenario } from '../load-scenario.ts';
import { createProgress } from '../progress.ts';
import { CachecastError } from '../../../core/errors.ts';
import type { Snapshot } from '../../../core/model/snapshot.ts';
import { scenarioTimeFlag, writeSnapshotFile } from '../snapshot-file.ts';

interface RunOptions {
  variant?: string;
  seed?: string;
  out?: string;
  report: boolean;
  json: boolean;
  snapshotAt?: string;
  snapshot?: string;
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
    .option(
      '--snapshot-at <time>',
      'stop at this scenario time and write the provider state there (clock time as on the charts, 13:55 or 13:59:30 UTC,\n' +
        'or an offset from the start, 1h55m); the ledger and summary cover the run up to it, and prompts are keyed as the\n' +
        'mock provider keys the k6 bundle\'s text, so the state is warm for live traffic (default: run to the end)',
    )
    .option('--snapshot <file>', 'where --snapshot-at writes the state, for `serve --state` (default: <out>/state.json)')
    .action(async (ref: string, options: RunOptions) => {
      const scenario = await loadScenario(ref, io.cwd);
      const variant = options.variant ?? baselineVariant(scenario);
      checkVariant(scenario, variant);
      if (options.snapshot !== undefined && options.snapshotAt === undefined) throw new CachecastError('CC_ERR_USAGE', '--snapshot needs --snapshot-at <time>');
      const snapshotAtMs = options.snapshotAt === undefined ? undefined : scenarioTimeFlag('--snapshot-at', options.snapshotAt, scenario.startMs);
      let snapshot: Snapshot | undefined;
      const outDir = resolve(io.cwd, options.out ?? join('runs', `${scenario.name}-${variant}`));
      try {
        mkdirSync(outDir, { recursive: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CachecastError('CC_ERR_USAGE', `--out ${outDir}: ${code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way; give a directory' : `cannot create it (${code})`}`);
      }
      const ledgerPath = join(outDir, 'ledger.ndjson');
      let ledger;
      try {
        ledger = openLedger(ledgerPath);
      } catch (error) {
        if (error instanceof LedgerOpenError) throw new CachecastError('CC_ERR_LEDGER_UNWRITABLE', `${error.message}; give --out a directory you can write`);
        throw error;
      }
      const progress = createProgress(io, `${scenario.name}/${variant}`);
      const summary = await runScenario({
        scenario,
        variant,
        seed: options.seed,
        sink: ledger.write,
        drain: ledger.drain,
        onProgress: (p) => progress.update(p.fraction, `${p.events.toLocaleString('en-US')} events`),
        snapshotAtMs,
        onSnapshot: (s) => (snapshot = s),
        // A state is for the mock provider, which will see the k6 bundle's text: key prompts as it will.
        ...(snapshotAtMs === undefined ? {} : { keys: await createWireKeys(providerConfigOf(specFor(scenario, variant), variant).wire) }),
      }).catch((error: unknown) => {
        if (error instanceof RangeError && error.message.startsWith('snapshotAtMs')) throw new CachecastError('CC_ERR_USAGE', `--snapshot-at ${options.snapshotAt}: ${error.message.slice('snapshotAtMs: '.length)}`);
        if (error instanceof ScenarioFormatError) throw new CachecastError('CC_ERR_SCENARIO_INVALID', `scenario "${scenario.name}" (${variant}): ${error.message}`);
        throw error;
      });
      await ledger.close();
      progress.update(1, `${ledger.rows().toLocaleString('en-US')} rows`);
      progress.done();
      writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      if (snapshot !== undefined) {
        const path = resolve(io.cwd, options.snapshot ?? join(outDir, 'state.json'));
        writeSnapshotFile(path, snapshot);
        io.err(`state at ${new Date(snapshot.atMs).toISOString()}: ${relative(io.cwd, path) || path} (serve it with \`cachecast serve --state ${relative(io.cwd, path) || path}\`)\n`);
      }
      io.out(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      io.err(`ledger: ${relative(io.cwd, ledgerPath) || ledgerPath} (${ledger.rows().toLocaleString('en-US')} rows)\n`);
      if (options.report) {
        const { writeReport } = await import('../../../reports/write-report.ts');
        const report = await writeReport({ inputs: [outDir], outDir: join(outDir, 'report') });
        io.out(`report: ${report.htmlPath}\n`);
      }
    });
