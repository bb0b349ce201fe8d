import { describe, expect, it } from 'vitest';
import { createVariantAccumulator } from '../../reports/aggregate/accumulate.ts';
import { defaultBucketMs } from '../../reports/aggregate/bucket-size.ts';
import { buildFigures } from '../../reports/aggregate/figures.ts';
import { baselineRows, T0 } from './fixture.ts';

const figuresFor = (...variants: string[]) => {
  const accs = variants.map((v) => {
    const acc = createVariantAccumulator(v, T0, 60_000);
    for (const row of baselineRows(v)) acc.add(row);
    return acc;
  });
  return buildFigures(accs, 60_000);
};

const near = (value: number | undefined) => Number((value ?? Number.NaN).toFixed(10));

describe('report aggregates', () => {
  it('splits each bucket\'s dollars by token kind, as computed by hand', () => {
    const f = figuresFor('baseline');
    const cost = (t: number, kind: string) => near(f.cost.find((c) => c.t === new Date(T0 + t).toISOString() && c.kind === kind)?.costUsd);
    expect([cost(0, 'uncached input'), cost(0, 'cache write'), cost(0, 'cache read'), cost(0, 'output')]).toEqual([0.006, 0.0375, 0.003, 0.015]);
    expect([cost(60_000, 'uncached input'), cost(60_000, 'cache write'), cost(60_000, 'cache read'), cost(60_000, 'output')]).toEqual([0.006, 0, 0.003, 0.0015]);
  });

  it('computes the token-weighted hit rate per bucket and the trailing average', () => {
    const f = figuresFor('baseline');
    expect(f.hitRate.map((h) => near(h.hitRate))).toEqual([near(10_000 / 22_000), near(10_000 / 12_000)]);
    // Trailing-hour average of bucket totals: bucket 1 averages $0.0615 and $0.0105.
    expect(f.costTrailingHour.map((c) => near(c.costUsd))).toEqual([0.0615, 0.036]);
  });

  it('counts requests and 429s by class, routing outcomes and per-session hit rates', () => {
    const f = figuresFor('baseline');
    const at1 = new Date(T0 + 60_000).toISOString();
    expect(f.traffic.filter((r) => r.t === at1 && r.count > 0).map((r) => [r.class, r.series, r.count])).toEqual([
      ['interactive', 'requests', 1],
      ['batch', 'requests', 1],
      ['batch', '429s', 1],
    ]);
    expect(f.affinity.filter((r) => r.t === at1 && r.requests > 0).map((r) => [r.affinity, r.requests])).toEqual([['overflow', 1]]);
    // s1: A (11,000 in, none read) + D (12,000 in, 10,000 read) = 10,000 / 23,000; the 429 is not
    // a served turn. s2: B, 10,000 read of 11,000.
    expect(f.sessionEcdf.filter((p) => p.band === 'all sessions').map((p) => [near(p.hitRate), p.fraction])).toEqual([
      [near(10_000 / 23_000), 0.5],
      [near(10_000 / 11_000), 1],
    ]);
    expect(f.events).toEqual([{ t: new Date(T0 + 45_000).toISOString(), variant: 'baseline', source: 'provider', label: 'tokenizer upgrade' }]);
  });

  it('gives every variant its totals and the ratio to the first', () => {
    const f = figuresFor('baseline', 'fix');
    expect(f.totals.map((t) => [t.variant, t.requests, near(t.costUsd), t.rateLimited, near(t.costPer1kRequestsUsd)])).toEqual([
      ['baseline', 4, 0.072, 1, 18],
      ['fix', 4, 0.072, 1, 18],
    ]);
    expect(f.totals[1].vsBaseline.costUsd).toBe(1);
  });

  it('picks a bucket from the span: 60–200 buckets of a round size', () => {
    expect([defaultBucketMs(10_000), defaultBucketMs(3 * 3_600_000), defaultBucketMs(14 * 86_400_000)]).toEqual([100, 60_000, 6 * 3_600_000]);
  });
});
