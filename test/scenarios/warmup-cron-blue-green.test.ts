import { describe, expect, it } from 'vitest';
import { between, both, costRateRatio, hitRate, ofClass } from '../../scenarios/kit/measures.ts';
import scenario from '../../scenarios/warmup-cron-blue-green.ts';
import { itMeetsItsExpectationsWithEverySeed, measure } from './helpers.ts';

const H = 3_600_000;
const SWAP = 48 * H;
const starts = ofClass('interactive');
const figures = {
  hitBefore: hitRate(both(starts, between(24 * H, SWAP))),
  hit12to24: hitRate(both(starts, between(SWAP + 12 * H, SWAP + 24 * H))),
  hit36to48: hitRate(both(starts, between(SWAP + 36 * H, SWAP + 48 * H))),
  sessionSpend: costRateRatio([SWAP + 36 * H, SWAP + 48 * H], [24 * H, SWAP], starts),
  totalSpend: costRateRatio([SWAP + 36 * H, SWAP + 48 * H], [24 * H, SWAP]),
};

describe('warmup-cron-blue-green scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);

  it('after the swap the hit rate slides from 94 % through the second day; following the live colour keeps it', async () => {
    const pinned = (await measure(scenario, 'pinned-to-blue', undefined, figures)).figures;
    const follows = (await measure(scenario, 'follow-live-colour', undefined, figures)).figures;
    expect(pinned.hitBefore).toBeGreaterThan(0.9);
    // The decay is gradual: half-way down between 12 and 24 hours, mostly gone by 36–48.
    expect(pinned.hit12to24).toBeLessThan(pinned.hitBefore - 0.15);
    expect(pinned.hit12to24).toBeGreaterThan(pinned.hit36to48 + 0.1);
    expect(pinned.hit36to48).toBeLessThan(0.35);
    expect(follows.hit36to48).toBeGreaterThan(0.9);
    // Session starts cost about 3.2× per hour; the whole bill (the warmer's own reads included) about 1.5×.
    expect(pinned.sessionSpend).toBeGreaterThan(2.8);
    expect(pinned.totalSpend).toBeGreaterThan(1.4);
    expect(follows.totalSpend).toBeLessThan(1.15);
  });
});
