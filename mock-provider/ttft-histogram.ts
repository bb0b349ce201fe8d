// The TTFT histogram of GET /metrics, counted per row in plain numbers. prom-client's Histogram
// hashes the label object on every observe (its labels() child only binds the labels: it
// validates and hashes them again per value), ~1.3 µs a row under load on the mock-provider
// bench, the costliest part of feeding /metrics. A child here is found once per organisation and
// node (prometheus.ts keeps it) and an observation is a bucket search and three additions.
//
// It registers in a prom-client Registry as a metric (prom-client accepts any object with a name,
// `get` and `reset`), and hands the registry the values prom-client's Histogram would: the same
// buckets, counts and sum (added in the same order, so the same double), the same label objects
// and series order (first observation first), so the scrape's text is byte for byte the same
// (test/mock-provider/ttft-histogram.test.ts checks it against prom-client's own Histogram).
// Shapes follow prom-client 15.1 lib/histogram.js (getForPromString, extractBucketValuesForExport,
// addSumAndCountForExport).

import type { Registry } from 'prom-client';

export interface HistogramChild {
  observe: (value: number) => void;
}

export interface CountedHistogram {
  /** The series for `labels` (created at its first observation, as prom-client's). */
  labels: (labels: Record<string, string>) => HistogramChild;
  reset: () => void;
}

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket, not cumulative; values above every bound count only in `count`. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

interface ValuePair {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

export interface CountedHistogramOptions {
  name: string;
  help: string;
  buckets: readonly number[];
  registers: Registry[];
}

export const createCountedHistogram = ({ name, help, buckets, registers }: CountedHistogramOptions): CountedHistogram => {
  const bounds = [...buckets].sort((a, b) => a - b);
  /** Series in order of first observation: prom-client lists its hash map's entries in insertion order. */
  let series: Series[] = [];

  const valuesForPromString = (): ValuePair[] => {
    const values: ValuePair[] = [];
    for (const s of series) {
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += s.buckets[i];
        values.push({ labels: { le: bounds[i] }, sharedLabels: s.labels, value: cumulative, metricName: `${name}_bucket`, exemplar: null });
      }
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${name}_bucket`, exemplar: null },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${name}_count`, exemplar: undefined },
      );
    }
    return values;
  };

  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    getForPromString: async () => ({ name, help, type: 'histogram', values: valuesForPromString(), aggregator: 'sum' }),
    // prom-client's JSON form: each value's own labels and the series' labels in one object.
    get: async () => ({
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      values: valuesForPromString().map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })),
    }),
    reset: () => {
      series = [];
    },
  };
  for (const registry of registers) registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);

  return {
    labels: (labels) => {
      let own: Series | undefined;
      // Created at the first observation, and again after a reset, as prom-client's hash map entry is.
      const seriesOf = (): Series => {
        if (own === undefined || !series.includes(own)) {
          own = { labels: { ...labels }, buckets: new Float64Array(bounds.length), sum: 0, count: 0 };
          series.push(own);
        }
        return own;
      };
      let current: Series[] | undefined;
      let s: Series | undefined;
      return {
        observe: (value) => {
          // The series is looked up again only after a reset replaced the list.
          if (current !== series || s === undefined) {
            s = seriesOf();
            current = series;
          }
          let i = 0;
          while (i < bounds.length && value > bounds[i]) i++;
          if (i < bounds.length) s.buckets[i]++;
          s.sum += value;
          s.count++;
        },
      };
    },
    reset: metric.reset,
  };
};
