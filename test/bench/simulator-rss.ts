// One run of the reference workload in a process of its own (simulator.bench.ts starts it), so the
// peak RSS it prints is this run's alone: `tsx simulator-rss.ts <requests> ledger|no-ledger`
// prints {"rate", "peakRssMb"} as its last line.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../../core/ledger/writer.ts';
import { runScenario } from '../../simulator/run.ts';
import { referenceWorkload } from './simulator.bench.ts';

const requests = Number(process.argv[2]);
const withLedger = process.argv[3] === 'ledger';
const path = join(tmpdir(), `cachecast-bench-rss-${process.pid}.ndjson`);
// As `cachecast run` writes it (blocking writes).
const ledger = withLedger ? openLedger(path, { blocking: true }) : undefined;
const started = performance.now();
try {
  const summary = await runScenario({ scenario: referenceWorkload(requests / 3_600), variant: 'reference', sink: ledger?.write, drain: ledger?.drain });
  await ledger?.close();
  const seconds = (performance.now() - started) / 1000;
  // resourceUsage().maxRSS is the process's peak resident set, in kB.
  console.log(JSON.stringify({ rate: summary.totals.requests / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
} finally {
  rmSync(path, { force: true });
}
