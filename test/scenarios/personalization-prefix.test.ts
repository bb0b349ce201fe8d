import { describe, expect, it } from 'vitest';
import { count, hitRate, inputCostUsd, ok, percentile, ratio } from '../../scenarios/kit/measures.ts';
import scenario from '../../scenarios/personalization-prefix.ts';
import { openaiModels } from '../../core/model/profiles/openai.ts';
import { itMeetsItsExpectationsWithEverySeed, measure } from './helpers.ts';

const figures = {
  hitRate: hitRate(),
  inputUsdPerRequest: ratio(inputCostUsd(openaiModels['gpt-4.1-2025-04-14'].prices), count(ok)),
  p50LatencyMs: percentile('latencyMs', 50),
  p50TtftMs: percentile('ttftMs', 50),
};

describe('personalization-prefix scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);

  it('context first triples input spend per request while the median latency moves under 10 %', async () => {
    const first = await measure(scenario, 'context-first', undefined, figures);
    const before = await measure(scenario, 'no-personalisation', undefined, figures);
    const last = await measure(scenario, 'context-last', undefined, figures);
    expect(first.figures.hitRate).toBeLessThan(0.05);
    expect(before.figures.hitRate).toBeGreaterThan(0.88);
    expect(first.figures.inputUsdPerRequest / before.figures.inputUsdPerRequest).toBeGreaterThan(2.8);
    expect(first.figures.p50LatencyMs / before.figures.p50LatencyMs).toBeLessThan(1.1);
    // The cure: context after the shared prefix costs within 10 % of no personalisation at all.
    expect(last.figures.inputUsdPerRequest / first.figures.inputUsdPerRequest).toBeLessThanOrEqual(0.4);
    expect(last.figures.inputUsdPerRequest / before.figures.inputUsdPerRequest).toBeLessThan(1.1);
  });
});
