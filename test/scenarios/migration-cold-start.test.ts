import { describe, expect, it } from 'vitest';
import { between, sum } from '../../scenarios/kit/measures.ts';
import scenario from '../../scenarios/migration-cold-start.ts';
import { itMeetsItsExpectationsWithEverySeed, measure } from './helpers.ts';

const H = 3_600_000;
const figures = {
  // From ten minutes before cut-over (the prefill) to the end: what the migration cost.
  afterUsd: sum('costUsd', between(6 * H - 600_000, 30 * H)),
  rollbackUsd: sum('costUsd', between(12 * H, 14 * H)),
};

describe('migration-cold-start scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);

  it('prices each strategy against pinned-version, which never migrates', async () => {
    const f: Record<string, Record<string, number>> = {};
    for (const variant of Object.keys(scenario.variants)) f[variant] = (await measure(scenario, variant, undefined, figures)).figures;
    const premium = (variant: string) => f[variant].afterUsd - f['pinned-version'].afterUsd;
    // A cold cut-over costs a few percent of the day: the cliff is tall and short.
    expect(premium('cold-cutover')).toBeGreaterThan(0.05 * f['pinned-version'].afterUsd);
    expect(premium('cold-cutover')).toBeLessThan(0.15 * f['pinned-version'].afterUsd);
    // The slow ramp is the worst: its thin steps keep both versions' prefixes expiring.
    expect(premium('slow-ramp') / premium('cold-cutover')).toBeGreaterThan(4);
    // A fast ramp and the provider's alias re-point cost what the cut-over does.
    expect(premium('fast-ramp') / premium('cold-cutover')).toBeCloseTo(1, 1);
    expect(premium('floating-alias')).toBeCloseTo(premium('cold-cutover'), 6);
    // Prefill buys the latency and the flat curve, not dollars: each prefill write replaces an organic one.
    expect(premium('prefill-top-n') / premium('cold-cutover')).toBeGreaterThan(0.8);
    expect(premium('prefill-top-n') / premium('cold-cutover')).toBeLessThan(1.3);
    // Keeping the old version warm makes the rollback hour cheaper than a second cold start.
    const rollbackPremium = (variant: string) => f[variant].rollbackUsd - f['pinned-version'].rollbackUsd;
    expect(rollbackPremium('parallel-run') / rollbackPremium('rollback-cold')).toBeLessThan(0.5);
  });
});
