import { expect, it } from 'vitest';
import type { Scenario } from '../../scenarios/kit/format.ts';
import type { MeasureFactory } from '../../scenarios/kit/measures.ts';
import type { ExpectationResult } from '../../core/ledger/run-summary.ts';
import { measureContext } from '../../scenarios/kit/expectations.ts';
import { runScenario } from '../../simulator/run.ts';

export const SEEDS = [undefined, 'seed-2', 'seed-3'] as const;

export interface Figures {
  expectations: ExpectationResult[];
  /** The extra measures asked for, by name. */
  figures: Record<string, number>;
  costUsd: number;
}

/** Runs a variant, keeping only its expectation results and the named extra measures. */
export const measure = async (
  scenario: Scenario,
  variant: string,
  seed?: string,
  measures: Record<string, MeasureFactory> = {},
): Promise<Figures> => {
  const context = measureContext(scenario.startMs);
  const running = Object.entries(measures).map(([name, m]) => [name, m(context)] as const);
  const summary = await runScenario({
    scenario,
    variant,
    seed,
    sink: (row) => {
      if (row.kind === 'request') for (const [, m] of running) m.add(row);
    },
  });
  return {
    expectations: summary.expectations,
    figures: Object.fromEntries(running.map(([name, m]) => [name, m.value()])),
    costUsd: summary.totals.costUsd,
  };
};

/** `name: measured (bound)` of the failing expectations, for a readable assertion message. */
export const failures = (results: ExpectationResult[]): string[] =>
  results.filter((r) => !r.pass).map((r) => `${r.name}: ${r.measured} (want ${r.bound})`);

/** One test per variant and seed: every expectation of the variant holds (the phenomenon is robust). */
export const itMeetsItsExpectationsWithEverySeed = (scenario: Scenario): void => {
  for (const seed of SEEDS) {
    for (const variant of Object.keys(scenario.variants)) {
      it(`${variant} meets its expectations with seed ${seed ?? 'default'}`, async () => {
        const { expectations } = await measure(scenario, variant, seed);
        expect(failures(expectations)).toEqual([]);
      });
    }
  }
};
