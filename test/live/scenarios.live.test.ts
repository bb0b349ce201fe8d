// Built-in scenarios on real k6, whole, at the lowest time scale CI's budget allows (.ci/run:
// about ten minutes for the whole live suite on 2 cores), against the simulator's run of the same
// variant: every request sent (none dropped, as many as the simulator sends), and hit rate and cost
// per request within the README's live tolerances. The other scenarios are hours to days of
// provider time at rates this machine drives only at scales that take longer than CI allows; the
// README's live section lists them with the scale and wall time a whole run needs; windows.live.test.ts
// runs the moment each is about.

import { describe, expect, it } from 'vitest';
import { LIVE_TOLERANCE as TOLERANCE } from './window-cases.ts';
import { k6Binaries } from './k6-binaries.ts';
import { live } from './helpers.ts';

interface LiveCase {
  scenario: string;
  variants: [baseline: string, fix: string];
  /** A scale this machine drives with no dropped iteration while other work shares its 2 cores. */
  timeScale: number;
}

const CASES: LiveCase[] = [
  // 12 hours of provider time in 72 s; about 16 requests per wall second.
  { scenario: 'ttl-economics', variants: ['ttl-5m', 'ttl-1h'], timeScale: 600 },
];

// Each variant on one k6 version, alternating, within CI's budget: both versions run a whole scenario.
const binaries = k6Binaries();
const runs = CASES.flatMap(({ scenario, variants, timeScale }) => variants.map((variant, i) => ({ scenario, variant, timeScale, k6: binaries[i % binaries.length] })));

describe('built-in scenarios, whole', () => {
  for (const { scenario, variant, timeScale, k6 } of runs) {
    it(`${scenario} ${variant} at time scale ${timeScale} on k6 ${k6.version}: every request sent, figures within the tolerances`, async () => {
      const run = await live(scenario, k6, variant, timeScale);
      // A failed expectation is reported (exit 1) but is not degradation; anything else is.
      if (run.error !== undefined) expect(`${run.error.code}: ${run.error.message}`).toMatch(/^CC_ERR_EXPECTATION_FAILED: /);
      const simulated = /requests \(simulator: ([\d,]+)\)/.exec(run.out);
      expect(simulated).not.toBeNull();
      const simulatedRequests = Number((simulated?.[1] ?? '').replaceAll(',', ''));
      expect(run.k6.droppedIterations).toBe(0);
      expect(run.k6.unexpectedResponses).toBe(0);
      expect(run.requests).toHaveLength(simulatedRequests);
      const parity = /simulator +hit rate ([\d.]+) %, cost per request \$([\d.]+)/.exec(run.out);
      expect(parity).not.toBeNull();
      const [simHitRate, simCost] = [Number(parity?.[1]) / 100, Number(parity?.[2])];
      const { hitRate, costPerRequestUsd } = run.summary.totals;
      console.log(`parity ${k6.version} ${scenario}/${variant} ×${timeScale}: requests ${run.requests.length}, dropped 0, hit rate ${(simHitRate * 100).toFixed(2)} → ${(hitRate * 100).toFixed(2)} %, cost/request $${simCost.toFixed(6)} → $${costPerRequestUsd.toFixed(6)}`);
      expect(Math.abs(hitRate - simHitRate) * 100).toBeLessThanOrEqual(TOLERANCE.hitRatePoints);
      expect(Math.abs(costPerRequestUsd / simCost - 1)).toBeLessThanOrEqual(TOLERANCE.costPerRequestShare);
    });
  }
});
