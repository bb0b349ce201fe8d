import { describe, expect, it } from 'vitest';
import { both, count, hitRate, ofClass, ok, ratio, sessionHitRatePercentile, sum } from '../../scenarios/kit/measures.ts';
import scenario from '../../scenarios/affinity-overflow.ts';
import type { RequestRow } from '../../core/ledger/row.ts';
import { itMeetsItsExpectationsWithEverySeed, measure } from './helpers.ts';

const agents = ofClass('agent');
const overflowed = (row: RequestRow) => row.affinity === 'overflow';
const figures = {
  aggregate: hitRate(),
  sessionMedian: sessionHitRatePercentile(50, 20, agents),
  sessionP10: sessionHitRatePercentile(10, 20, agents),
  agentCostPerTurnUsd: ratio(sum('costUsd', agents), count(both(agents, ok))),
  agentOverflowShare: ratio(count(both(agents, overflowed)), count(agents)),
};

describe('affinity-overflow scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);

  it('a key per user overflows every agent turn: the aggregate hides a 35-point drop per session', async () => {
    const run = async (variant: string) => (await measure(scenario, variant, undefined, figures)).figures;
    const perUser = await run('key-per-user');
    const perSession = await run('key-per-session');
    const global = await run('global-key');
    const below = await run('below-threshold');
    expect(perUser.agentOverflowShare).toBeGreaterThan(0.95);
    expect(perSession.agentOverflowShare).toBe(0);
    expect(below.agentOverflowShare).toBe(0);
    // The aggregate looks fine; the median long session does not.
    expect(perUser.aggregate).toBeGreaterThan(0.65);
    expect(perSession.sessionMedian - perUser.sessionMedian).toBeGreaterThan(0.3);
    expect(perUser.sessionP10).toBeLessThan(0.6);
    expect(global.sessionMedian).toBeLessThan(0.65);
    // Each agent turn costs about 2.6× as much when it overflows ($0.026 against $0.010).
    expect(perSession.agentCostPerTurnUsd / perUser.agentCostPerTurnUsd).toBeLessThan(0.6);
    expect(below.agentCostPerTurnUsd).toBeCloseTo(perSession.agentCostPerTurnUsd, 3);
  });
});
