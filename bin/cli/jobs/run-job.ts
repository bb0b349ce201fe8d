// `cachecast run`'s work, in the worker thread the command supervises (simulator/isolate): load
// the scenario, simulate the variant into ledger.ndjson and summary.json, print the summary, and
// write the report if asked. Everything the scenario's own code does happens here.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { baselineVariant } from '../../../scenarios/kit/format.ts';
import { providerConfigOf, ScenarioFormatError, specFor } from '../../../scenarios/kit/validate.ts';
import { createWireKeys } from '../../../k6/wire-keys.ts';
import { LedgerOpenError, openLedger } from '../../../core/ledger/writer.ts';
import { runScenario } from '../../../simulator/run.ts';
import type { Phases } from '../../../simulator/isolate/phase-board.ts';
import type { JobIo } from '../../../simulator/isolate/protocol.ts';
import { formatSummary } from '../format-summary.ts';
import { checkVariant, loadScenario } from '../load-scenario.ts';
import { createProgress } from '../progress.ts';
import { CachecastError } from '../../../core/errors.ts';
import type { Snapshot } from '../../../core/model/snapshot.ts';
import { scenarioTimeFlag, writeSnapshotFile } from '../snapshot-file.ts';

export interface RunOptions {
  variant?: string;
  seed?: string;
  out?: string;
  report: boolean;
  json: boolean;
  snapshotAt?: string;
  snapshot?: string;
  timeout?: string;
}

export default async ({ ref, options }: { ref: string; options: RunOptions }, io: JobIo, phases: Phases): Promise<void> => {
  phases.enter('import', { scenario: ref });
  const scenario = phases.watch(await loadScenario(ref, io.cwd));
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
    // Blocking writes: this worker does nothing else meanwhile (core/ledger/writer.ts LedgerOptions).
    ledger = openLedger(ledgerPath, { blocking: true });
  } catch (error) {
    if (error instanceof LedgerOpenError) throw new CachecastError('CC_ERR_LEDGER_UNWRITABLE', `${error.message}; give --out a directory you can write`);
    throw error;
  }
  const names = { scenario: scenario.name, variant };
  phases.enter('simulate', names);
  const progress = createProgress(io, `${scenario.name}/${variant}`);
  const summary = await runScenario({
    scenario,
    variant,
    seed: options.seed,
    sink: ledger.write,
    drain: ledger.drain,
    onProgress: (p) => {
      phases.progress(p.fraction);
      progress.update(p.fraction, `${p.events.toLocaleString('en-US')} events`);
    },
    snapshotAtMs,
    onSnapshot: (s) => (snapshot = s),
    // A state is for the mock provider, which will see the k6 bundle's text: key prompts as it will.
    ...(snapshotAtMs === undefined ? {} : { keys: await createWireKeys(providerConfigOf(specFor(scenario, variant), variant).wire) }),
  }).catch((error: unknown) => {
    if (error instanceof RangeError && error.message.startsWith('snapshotAtMs')) throw new CachecastError('CC_ERR_USAGE', `--snapshot-at ${options.snapshotAt}: ${error.message.slice('snapshotAtMs: '.length)}`);
    if (error instanceof ScenarioFormatError) throw new CachecastError('CC_ERR_SCENARIO_INVALID', `scenario "${scenario.name}" (${variant}): ${error.message}`);
    throw error;
  });
  phases.enter('finish', names);
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
    phases.enter('report', names);
    const { writeReport } = await import('../../../reports/write-report.ts');
    const report = await writeReport({ inputs: [outDir], outDir: join(outDir, 'report') });
    io.out(`report: ${report.htmlPath}\n`);
  }
};
