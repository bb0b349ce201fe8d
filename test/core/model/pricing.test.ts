// Costs against hand-computed figures (provider-facts §1.8, §2.3). µ$ = token count × $/MTok.

import { describe, expect, it } from 'vitest';
import { costBreakdownUsd, costUsd } from '../../../core/model/pricing.ts';
import { anthropicModels } from '../../../core/model/profiles/anthropic.ts';
import { openaiModels } from '../../../core/model/profiles/openai.ts';
import { emptyUsage, type Usage } from '../../../core/model/types.ts';

const usage = (fields: Partial<Usage>): Usage => ({ ...emptyUsage(), ...fields });
/** Rounds away binary noise (3 × 0.1 = 0.30000000000000004). */
const round12 = (x: number): number => Number(x.toFixed(12));
const sonnet = anthropicModels['claude-sonnet-4-5-20250929'].prices;

describe('pricing', () => {
  it('bills 14,000 5-minute write tokens on Sonnet 4.5 at $3.75/MTok', () => {
    // 14,000 × 3.75 = 52,500 µ$ = $0.0525
    expect(costUsd(sonnet, usage({ cacheWriteTokens: 14_000 }))).toBeCloseTo(0.0525, 12);
  });

  it('splits a mixed request into input, writes by TTL, reads and output', () => {
    const breakdown = costBreakdownUsd(
      sonnet,
      usage({ inputTokens: 1_000, cacheWriteTokens: 14_000, cacheWrite1hTokens: 4_000, cacheReadTokens: 20_000, outputTokens: 500 }),
    );
    // input 1,000 × 3 = 3,000 · writes 10,000 × 3.75 + 4,000 × 6 = 61,500 · reads 20,000 × 0.30 = 6,000 ·
    // output 500 × 15 = 7,500 · total 78,000 µ$
    const figures = [breakdown.input, breakdown.cacheWrite, breakdown.cacheRead, breakdown.output, breakdown.total];
    [0.003, 0.0615, 0.006, 0.0075, 0.078].forEach((expected, i) => expect(figures[i]).toBeCloseTo(expected, 12));
  });

  it('costs nothing for no tokens', () => {
    expect(costUsd(sonnet, emptyUsage())).toBe(0);
  });

  it('prices every Claude model’s writes at 1.25× and 2× input and reads at 0.1× (§1.8)', () => {
    const ratios = Object.entries(anthropicModels).map(([id, { prices }]) => [
      id,
      round12(prices.cacheWrite5m / prices.input),
      round12(prices.cacheWrite1h / prices.input),
      round12(prices.cacheRead / prices.input),
    ]);
    expect(ratios).toEqual(Object.keys(anthropicModels).map((id) => [id, 1.25, 2, 0.1]));
  });

  it('lists Opus 4.5 at $5 / 6.25 / 10 / 0.50 / 25 per MTok (§1.8)', () => {
    const { input, cacheWrite5m, cacheWrite1h, cacheRead, output } = anthropicModels['claude-opus-4-5-20251101'].prices;
    expect([input, cacheWrite5m, cacheWrite1h, round12(cacheRead), output]).toEqual([5, 6.25, 10, 0.5, 25]);
  });

  it('pays off after one read at 5 minutes and after two reads at 1 hour (§1.8 break-even)', () => {
    // n uses of a 1,000,000-token prefix on Sonnet: cached 5 m = 3.75 + 0.30 (n − 1); 1 h = 6 + 0.30 (n − 1); uncached 3n.
    const cached5m = (n: number) => costUsd(sonnet, usage({ cacheWriteTokens: 1e6 })) + (n - 1) * costUsd(sonnet, usage({ cacheReadTokens: 1e6 }));
    const cached1h = (n: number) =>
      costUsd(sonnet, usage({ cacheWriteTokens: 1e6, cacheWrite1hTokens: 1e6 })) + (n - 1) * costUsd(sonnet, usage({ cacheReadTokens: 1e6 }));
    const uncached = (n: number) => n * costUsd(sonnet, usage({ inputTokens: 1e6 }));
    // 5 m: 1 use 3.75 > 3; 2 uses 4.05 < 6. 1 h: 2 uses 6.30 > 6; 3 uses 6.60 < 9.
    expect([cached5m(1) > uncached(1), cached5m(2) < uncached(2), cached1h(2) > uncached(2), cached1h(3) < uncached(3)]).toEqual([true, true, true, true]);
    expect([cached5m(2), cached1h(3)].map((x) => Number(x.toFixed(10)))).toEqual([4.05, 6.6]);
  });

  it('bills OpenAI writes as plain input, with the family’s cached discount (§2.3)', () => {
    const discount = (id: string): number => {
      const { input, cacheWrite5m, cacheWrite1h, cacheRead } = openaiModels[id].prices;
      expect([cacheWrite5m, cacheWrite1h]).toEqual([input, input]);
      return round12(1 - cacheRead / input);
    };
    expect(['gpt-4o-2024-08-06', 'gpt-4.1-2025-04-14', 'gpt-5-2025-08-07'].map(discount)).toEqual([0.5, 0.75, 0.9]);
  });

  it('bills the documented gpt-4o usage: 2,006 prompt, 1,920 cached, 300 completion', () => {
    const gpt4o = openaiModels['gpt-4o-2024-08-06'].prices;
    // 86 × 2.50 + 1,920 × 1.25 + 300 × 10 = 215 + 2,400 + 3,000 = 5,615 µ$
    expect(costUsd(gpt4o, usage({ inputTokens: 86, cacheReadTokens: 1_920, outputTokens: 300 }))).toBeCloseTo(0.005615, 12);
  });
});
