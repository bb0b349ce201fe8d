import { describe, expect, it } from 'vitest';
import scenario, { BURSTS, INTERVALS_MIN, relativeInputCost } from '../../scenarios/ttl-economics.ts';
import { itMeetsItsExpectationsWithEverySeed, measure } from './helpers.ts';

const groups = [...INTERVALS_MIN.map((m) => `every-${m}m`), ...BURSTS.map((n) => `burst-of-${n}`)];
const figures = Object.fromEntries(groups.map((g) => [g, relativeInputCost(g)]));
const QUESTION_SHARE = 50 / 20_050; // the question is never cached

describe('ttl-economics scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);

  it('the cheapest strategy is the 5-minute TTL below 5 minutes, the 1-hour TTL up to an hour, no cache beyond', async () => {
    const costs: Record<string, Record<string, number>> = {};
    for (const variant of Object.keys(scenario.variants)) costs[variant] = (await measure(scenario, variant, undefined, figures)).figures;
    const winner = (group: string) => Object.keys(costs).reduce((best, v) => (costs[v][group] < costs[best][group] ? v : best));
    expect(INTERVALS_MIN.map((m) => [m, winner(`every-${m}m`)])).toEqual([
      [1, 'ttl-5m'],
      [4, 'ttl-5m'],
      [6, 'ttl-1h'],
      [15, 'ttl-1h'],
      [30, 'ttl-1h'],
      [55, 'ttl-1h'],
      [65, 'no-cache'],
      [90, 'no-cache'],
    ]);
    // Break-even by the price arithmetic: one read repays a 5-minute write, two a 1-hour write.
    const prefix = 1 - QUESTION_SHARE;
    expect(costs['ttl-5m']['burst-of-2']).toBeCloseTo(((1.25 + 0.1) / 2) * prefix + QUESTION_SHARE, 4);
    expect(costs['ttl-1h']['burst-of-2']).toBeCloseTo(((2 + 0.1) / 2) * prefix + QUESTION_SHARE, 4);
    expect(costs['ttl-1h']['burst-of-3']).toBeCloseTo(((2 + 0.2) / 3) * prefix + QUESTION_SHARE, 4);
    expect(costs['ttl-1h']['every-65m']).toBeCloseTo(2 * prefix + QUESTION_SHARE, 4);
    expect(costs['ttl-5m']['every-6m']).toBeCloseTo(1.25 * prefix + QUESTION_SHARE, 4);
    // Every minute for 12 hours: one write, 719 reads.
    expect(costs['ttl-5m']['every-1m']).toBeCloseTo(((1.25 + 719 * 0.1) / 720) * prefix + QUESTION_SHARE, 4);
  });
});
