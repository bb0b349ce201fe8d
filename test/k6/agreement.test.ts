import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { RunSummary } from '../../simulator/ledger/run-summary.ts';
import { runCli } from '../cli/helpers.ts';
import { FIXTURES, tempDir } from './helpers.ts';

// The tolerance stated in scenarios/k6/README-section.md for traffic whose requests to one prefix
// (steady traffic): hit rate within 0.5 points, cost per request within 3 %.
it('agrees with the simulator on hit rate and cost per request for steady traffic', async () => {
  const scenario = join(FIXTURES, 'parity-measure.ts');
  const simOut = tempDir();
  const liveOut = tempDir();
  expect((await runCli(['run', scenario, '--out', simOut])).error).toBeUndefined();
  expect((await runCli(['live', scenario, '--k6', join(FIXTURES, 'fake-k6'), '--time-scale', '30', '--out', liveOut])).error).toBeUndefined();
  const sim = (JSON.parse(readFileSync(join(simOut, 'summary.json'), 'utf8')) as RunSummary).totals;
  const live = (JSON.parse(readFileSync(join(liveOut, 'summary.json'), 'utf8')) as RunSummary).totals;
  expect(live.requests).toBe(sim.requests);
  expect(Math.abs(live.hitRate - sim.hitRate)).toBeLessThan(0.005);
  expect(Math.abs(live.costPerRequestUsd / sim.costPerRequestUsd - 1)).toBeLessThan(0.03);
}, 240_000);
