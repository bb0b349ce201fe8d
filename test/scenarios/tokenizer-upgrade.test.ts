import { describe, expect, it } from 'vitest';
import { between, costRateRatio, hitRate, sum } from '../../scenarios/kit/measures.ts';
import scenario from '../../scenarios/tokenizer-upgrade.ts';
import { itMeetsItsExpectationsWithEverySeed, measure } from './helpers.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const figures = {
  dayAfterVsDayBefore: costRateRatio([2 * DAY, 3 * DAY], [DAY, 2 * DAY]),
  firstHourCostUsd: sum('costUsd', between(2 * DAY, 2 * DAY + HOUR)),
  hitFirstHour: hitRate(between(2 * DAY, 2 * DAY + HOUR)),
};

describe('tokenizer-upgrade scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);

  it('the upgrade costs about 3× per hour in its first hour and 1.3× over the day after, against no upgrade', async () => {
    const upgrade = await measure(scenario, 'baseline', undefined, figures);
    const control = await measure(scenario, 'no-upgrade', undefined, figures);
    expect(upgrade.figures.hitFirstHour).toBeLessThan(0.1);
    expect(control.figures.hitFirstHour).toBeGreaterThan(0.75);
    expect(upgrade.figures.dayAfterVsDayBefore).toBeGreaterThan(1.25);
    expect(control.figures.dayAfterVsDayBefore).toBeLessThan(1.05);
    // The first hour after the upgrade, per hour, against the control's same hour.
    expect(upgrade.figures.firstHourCostUsd / control.figures.firstHourCostUsd).toBeGreaterThan(2.8);
    expect(control.costUsd / upgrade.costUsd).toBeLessThan(0.9);
  });
});
