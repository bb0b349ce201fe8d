import { describe, expect, it } from 'vitest';
import type { RequestRow } from '../../../core/ledger/row.ts';
import type { Expectation } from '../../../scenarios/kit/format.ts';
import { startExpectations } from '../../../scenarios/kit/expectations.ts';
import { count, hitRate, ofClass, peakBucketCostRatio, percentile, ratio, sessionHitRatePercentile, status } from '../../../scenarios/kit/measures.ts';

const START = Date.UTC(2026, 0, 1);

const row = (over: Partial<RequestRow>): RequestRow => ({
  kind: 'request', atMs: START, scenario: 's', variant: 'v', tenant: 'acme', session: 's-1', class: 'interactive', model: 'm',
  node: 0, affinity: 'home', status: 200, inputTokens: 100, cacheReadTokens: 900, cacheWriteTokens: 0, cacheWrite1hTokens: 0,
  outputTokens: 10, costUsd: 0.01, ttftMs: 500, latencyMs: 900, retryAfterMs: 0, attempt: 0, ...over,
});

const expectation = (name: string, measure: Expectation['measure'], op: Expectation['op'], value: number): Expectation => ({ name, description: name, measure, op, value });

const measure = (expectations: Expectation[], rows: RequestRow[]) => {
  const run = startExpectations(expectations, { startMs: START });
  for (const r of rows) run.add(r);
  return run.results();
};

describe('a measure with no samples', () => {
  // Each of these once passed on no data: 0 is below every "<=" bound.
  const noDataBound = [
    expectation('median-long-session-hit-rate', sessionHitRatePercentile(50, 20), '<=', 0.65),
    expectation('batch-hit-rate', hitRate(ofClass('batch')), '<=', 0.1),
    expectation('batch-p90-ttft', percentile('ttftMs', 90, ofClass('batch')), '<=', 2_000),
    expectation('peak-minute-vs-hour', peakBucketCostRatio('1m', '1h'), '<', 3.5),
    expectation('429-share-of-batch', ratio(count(status(429)), count(ofClass('batch'))), '<=', 0.05),
  ];

  it('fails its expectation, marked as having no data', () => {
    // Ten interactive rows of one session within one minute: no batch row, no 20-turn session,
    // no hour of spend before a minute.
    const rows = Array.from({ length: 10 }, (_, i) => row({ atMs: START + i * 1_000 }));
    const results = measure(noDataBound, rows);
    expect(results.map((r) => [r.name, r.pass, r.noData])).toEqual(noDataBound.map((e) => [e.name, false, true]));
  });

  it('is measured as before once it has samples', () => {
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => row({ atMs: START + i * 180_000, session: 'long' })),
      row({ atMs: START + 3_700_000, class: 'batch', cacheReadTokens: 0, inputTokens: 1_000, ttftMs: 1_500, costUsd: 0.02 }),
    ];
    const results = measure(noDataBound, rows);
    // The long session reads 900 of 1,000 tokens: 0.9; the batch row reads nothing; one batch row, no 429.
    expect(results.map((r) => [r.name, r.measured, r.pass, r.noData])).toEqual([
      ['median-long-session-hit-rate', 0.9, false, undefined],
      ['batch-hit-rate', 0, true, undefined],
      ['batch-p90-ttft', 1_500, true, undefined],
      // Minute 61's $0.02 against minutes 1-60: 19 of the session's rows, $0.19 over 60 minutes.
      ['peak-minute-vs-hour', expect.closeTo(0.02 / (0.19 / 60), 10), false, undefined],
      ['429-share-of-batch', 0, true, undefined],
    ]);
  });

  it('counts and sums stay figures on no rows: zero writes is data', () => {
    const results = measure([expectation('writes', count(status(529)), '<=', 0)], [row({})]);
    expect(results[0]).toMatchObject({ measured: 0, pass: true });
    expect(results[0].noData).toBeUndefined();
  });
});
