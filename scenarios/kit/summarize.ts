// A run's summary from its request rows, as every driver writes it (`summary.json`): the totals and
// the scenario's expectations, fed row by row in time order. The simulator feeds it as rows happen;
// a live run feeds it from the mock provider's ledger after k6 ends.

import type { RequestRow } from '../../core/ledger/row.ts';
import type { RunSummary } from '../../core/ledger/run-summary.ts';
import { createTotals } from '../../core/ledger/totals.ts';
import { startExpectations } from './expectations.ts';
import type { Scenario, ScenarioSpec } from './format.ts';

export interface RunSummarizer {
  add: (row: RequestRow) => void;
  summary: (durationMs: number) => RunSummary;
}

export const startSummary = (
  scenario: Scenario,
  variant: string,
  spec: Pick<ScenarioSpec, 'expectations'>,
  run: { seed: string; driver: RunSummary['driver'] },
): RunSummarizer => {
  const totals = createTotals();
  const expectations = startExpectations(spec.expectations ?? [], { startMs: scenario.startMs });
  return {
    add: (row) => {
      totals.add(row);
      expectations.add(row);
    },
    summary: (durationMs) => ({
      scenario: scenario.name,
      variant,
      seed: run.seed,
      description: scenario.description,
      startIso: new Date(scenario.startMs).toISOString(),
      durationMs,
      driver: run.driver,
      totals: totals.totals(),
      expectations: expectations.results(),
    }),
  };
};
