import { describe, expect, it } from 'vitest';
import { both, count, hitRate, ofTenant, ok, ratio, sum } from '../../scenarios/kit/measures.ts';
import scenario from '../../scenarios/eviction-pressure.ts';
import { itMeetsItsExpectationsWithEverySeed, measure } from './helpers.ts';

const ours = ofTenant('acme');
const figures = { hitRate: hitRate(ours), costPerTurnUsd: ratio(sum('costUsd', ours), count(both(ours, ok))) };

describe('eviction-pressure scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);

  it('busy neighbours cost each turn about 8× a quiet node; a 1-hour TTL makes it dearer, a smaller prefix cheaper', async () => {
    const run = async (variant: string) => (await measure(scenario, variant, undefined, figures)).figures;
    const busy = await run('busy-neighbours');
    const quiet = await run('quiet-neighbours');
    const ttl1h = await run('ttl-1h');
    const smaller = await run('smaller-prefix');
    const dedicated = await run('dedicated-capacity');
    expect(busy.hitRate).toBe(0);
    expect(quiet.costPerTurnUsd / busy.costPerTurnUsd).toBeLessThan(0.15);
    expect(dedicated.costPerTurnUsd / busy.costPerTurnUsd).toBeLessThan(0.15);
    // The 1-hour TTL does not help against eviction: same hit rate, each re-write at 2× instead of 1.25×.
    expect(ttl1h.hitRate).toBe(0);
    expect(ttl1h.costPerTurnUsd / busy.costPerTurnUsd).toBeGreaterThan(1.5);
    // A quarter of the prefix is evicted just as surely, but each miss costs about a quarter.
    expect(smaller.hitRate).toBe(0);
    expect(smaller.costPerTurnUsd / busy.costPerTurnUsd).toBeLessThan(0.3);
  });
});
