import { describe, expect, it } from 'vitest';
import { between, both, count, finalAttempt, ofClass, ok, status } from '../../scenarios/kit/measures.ts';
import scenario from '../../scenarios/batch-interactive-collision.ts';
import { itMeetsItsExpectationsWithEverySeed, measure } from './helpers.ts';

const MIN = 60_000;
const interactive = ofClass('interactive');
const figures = {
  interactive429: count(both(interactive, status(429))),
  interactiveFailed: count(both(interactive, status(429), finalAttempt(3))),
  batchDone: count(both(ofClass('batch'), ok)),
  interactiveBefore13: count(both(interactive, status(429), between(0, 13 * MIN))),
};

describe('batch-interactive-collision scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);

  it('each fix removes the interactive 429s; retries without jitter serve everyone, jitter does not', async () => {
    const f: Record<string, Record<string, number>> = {};
    for (const variant of Object.keys(scenario.variants)) f[variant] = (await measure(scenario, variant, undefined, figures)).figures;
    expect(f['shared-key'].interactive429).toBeGreaterThan(50);
    expect(f['shared-key'].interactiveBefore13).toBe(0);
    for (const fix of ['separate-keys', 'paced-batch', 'off-peak']) {
      expect(f[fix].interactive429).toBe(0);
      expect(f[fix].batchDone).toBe(4_200); // and the batch loses nothing
    }
    // On a shared key the batch loses about 1 % of its documents too.
    expect(f['shared-key'].batchDone).toBeLessThan(4_200);
    expect(f['retry-no-jitter'].interactiveFailed).toBe(0);
    expect(f['retry-jitter'].interactive429 / f['retry-no-jitter'].interactive429).toBeGreaterThan(2);
    expect(f['retry-jitter'].interactiveFailed).toBeGreaterThan(0);
  });
});
