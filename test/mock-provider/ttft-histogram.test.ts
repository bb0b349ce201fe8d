// The TTFT histogram counted in plain numbers scrapes exactly as prom-client's own Histogram fed
// the same observations: the same text, line for line and digit for digit (buckets, +Inf, sum,
// count, label order, series order), before and after a reset.

import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TTFT_BUCKETS_S } from '../../mock-provider/prometheus.ts';
import { createCountedHistogram } from '../../mock-provider/ttft-histogram.ts';

const NAME = 'cachecast_ttft_seconds';
const HELP = 'Time to first token of answered requests, provider seconds (queueing + prefill).';

const pair = (): { ours: Registry; theirs: Registry; observe: (labels: Record<string, string>, value: number) => void; reset: () => void; child: (labels: Record<string, string>) => (value: number) => void } => {
  const ours = new Registry();
  const theirs = new Registry();
  const counted = createCountedHistogram({ name: NAME, help: HELP, buckets: TTFT_BUCKETS_S, registers: [ours] });
  const reference = new Histogram({ name: NAME, help: HELP, labelNames: ['organisation', 'node'], buckets: [...TTFT_BUCKETS_S], registers: [theirs] });
  const child = (labels: Record<string, string>): ((value: number) => void) => {
    const a = counted.labels(labels);
    const b = reference.labels(labels);
    return (value) => {
      a.observe(value);
      b.observe(value);
    };
  };
  return { ours, theirs, observe: (labels, value) => child(labels)(value), reset: () => (ours.resetMetrics(), theirs.resetMetrics()), child };
};

describe('the counted TTFT histogram', () => {
  it('scrapes the same text as prom-client for the same observations, with series in order of first observation', async () => {
    const { ours, theirs, child } = pair();
    // A child asked for before another but observed after it: series order is first observation.
    const acme0 = child({ organisation: 'acme', node: '0' });
    const beta1 = child({ organisation: 'beta "quoted"\\', node: '1' });
    beta1(0.25); // exactly on a bound
    for (let i = 0; i < 1_000; i++) acme0(0.0123 * i + 0.000_123_4); // 0 to 12.3 s, sums with long fractions
    acme0(61); // above every bound: only +Inf and the count
    beta1(0.1);
    beta1(60);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('cachecast_ttft_seconds_count{organisation="acme",node="0"} 1001');
    expect(text).toContain('cachecast_ttft_seconds_bucket{le="0.25",organisation="beta \\"quoted\\"\\\\",node="1"} 2');
    expect(text.indexOf('organisation="beta')).toBeLessThan(text.indexOf('organisation="acme'));
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('starts again from nothing after a reset, and a child kept across it still counts', async () => {
    const { ours, theirs, child, reset } = pair();
    const acme = child({ organisation: 'acme', node: '2' });
    acme(0.5);
    acme(0.75);
    reset();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).not.toContain('organisation="acme"');
    acme(3);
    child({ organisation: 'zeta', node: '0' })(1.5);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('cachecast_ttft_seconds_sum{organisation="acme",node="2"} 3');
    expect(text).toContain('cachecast_ttft_seconds_count{organisation="zeta",node="0"} 1');
  });
});
