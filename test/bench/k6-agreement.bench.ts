// Simulator vs live (mock provider driven by the stand-in k6 at 30×) on the same scenario and
// seed: the tolerance the README states. It depends on wall-clock scheduling, so it is measured
// here and printed, not asserted in the test suite.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../core/ledger/run-summary.ts';
import { runCli, tempDir } from '../cli/helpers.ts';

const FIXTURES = join(import.meta.dirname, '../k6/fixtures');

export const benchK6Agreement = async (): Promise<void> => {
  const scenario = join(FIXTURES, 'parity-measure.ts');
  const simOut = tempDir();
  const liveOut = tempDir();
  for (const [args, out] of [[['run', scenario], simOut], [['live', scenario, '--k6', join(FIXTURES, 'fake-k6'), '--time-scale', '30'], liveOut]] as const) {
    const result = await runCli([...args, '--out', out]);
    if (result.error) throw result.error;
  }
  const sim = (JSON.parse(readFileSync(join(simOut, 'summary.json'), 'utf8')) as RunSummary).totals;
  const live = (JSON.parse(readFileSync(join(liveOut, 'summary.json'), 'utf8')) as RunSummary).totals;
  const hitPt = (live.hitRate - sim.hitRate) * 100;
  const costPct = (live.costPerRequestUsd / sim.costPerRequestUsd - 1) * 100;
  console.log('steady traffic (4 req/s, 10 min, 12k cached prefix), stand-in k6 at 30×');
  console.log(`  requests   simulator ${sim.requests}, live ${live.requests}`);
  console.log(`  hit rate   simulator ${(sim.hitRate * 100).toFixed(2)} %, live ${(live.hitRate * 100).toFixed(2)} %: ${hitPt >= 0 ? '+' : ''}${hitPt.toFixed(2)} pt (stated tolerance ±0.5 pt)`);
  console.log(`  cost/req   simulator $${sim.costPerRequestUsd.toFixed(6)}, live $${live.costPerRequestUsd.toFixed(6)}: ${costPct >= 0 ? '+' : ''}${costPct.toFixed(2)} % (stated tolerance ±3 %)`);
};
