// k6's end-of-test view of metric samples: counters sum, rates count non-zero samples, trends keep
// their values for percentiles (linear interpolation, as k6 does); thresholds like `rate>0.5`,
// `p(95)<200` or `count<10`, optionally on a tag filter (`cost_usd{class:batch}`), are checked
// over the same aggregates.

import type { MetricType, Sample } from './host.ts';

interface Aggregate {
  type: MetricType;
  isTime: boolean;
  count: number;
  sum: number;
  nonZero: number;
  values: number[];
  last: number;
}

const empty = (type: MetricType, isTime: boolean): Aggregate => ({ type, isTime, count: 0, sum: 0, nonZero: 0, values: [], last: 0 });

const add = (a: Aggregate, value: number): void => {
  a.count++;
  a.sum += value;
  if (value !== 0) a.nonZero++;
  if (a.type === 'trend' || a.type === 'gauge') a.values.push(value);
  a.last = value;
};

const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return 0;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
};

export const summaryValues = (a: Aggregate, durationSec: number): Record<string, number> => {
  switch (a.type) {
    case 'counter':
      return { count: a.sum, rate: durationSec > 0 ? a.sum / durationSec : 0 };
    case 'rate':
      return { rate: a.count === 0 ? 0 : a.nonZero / a.count, passes: a.nonZero, fails: a.count - a.nonZero };
    case 'gauge':
      return { value: a.last, min: Math.min(...a.values), max: Math.max(...a.values) };
    case 'trend': {
      const sorted = [...a.values].sort((x, y) => x - y);
      return {
        avg: a.count === 0 ? 0 : a.sum / a.count,
        min: sorted[0] ?? 0,
        med: percentile(sorted, 50),
        max: sorted[sorted.length - 1] ?? 0,
        'p(90)': percentile(sorted, 90),
        'p(95)': percentile(sorted, 95),
        'p(99)': percentile(sorted, 99),
      };
    }
  }
};

const FILTERED = /^([^{]+)\{([^}]*)\}$/;

const matches = (filter: string, tags: Record<string, string>): boolean =>
  filter.split(',').every((pair) => {
    const [key, ...rest] = pair.split(':');
    return tags[key.trim()] === rest.join(':').trim();
  });

const THRESHOLD = /^\s*(count|rate|value|avg|min|med|max|p\(\d+(?:\.\d+)?\))\s*(<=|>=|<|>|===|==|!=)\s*(-?[\d.]+)\s*$/;

export const checkThreshold = (values: Record<string, number>, expression: string): boolean => {
  const match = THRESHOLD.exec(expression);
  if (match === null) throw new Error(`harness: cannot read threshold "${expression}"`);
  const measured = values[match[1]] ?? 0;
  const bound = Number(match[3]);
  switch (match[2]) {
    case '<':
      return measured < bound;
    case '<=':
      return measured <= bound;
    case '>':
      return measured > bound;
    case '>=':
      return measured >= bound;
    case '!=':
      return measured !== bound;
    default:
      return measured === bound;
  }
};

export interface Aggregator {
  add: (sample: Sample) => void;
  /** k6's handleSummary data for this run. */
  summary: (durationMs: number, thresholds: Record<string, string[]>, options: unknown) => { data: SummaryData; thresholdsOk: boolean };
}

export interface SummaryData {
  metrics: Record<string, { type: MetricType; contains: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  state: { testRunDurationMs: number; isStdOutTTY: boolean; isStdErrTTY: boolean };
  options: unknown;
  root_group: { name: string; path: string; id: string; groups: []; checks: [] };
}

export const createAggregator = (thresholdKeys: readonly string[]): Aggregator => {
  const byMetric = new Map<string, Aggregate>();
  const filtered = thresholdKeys.map((key) => FILTERED.exec(key)).filter((m): m is RegExpExecArray => m !== null);
  const put = (key: string, sample: Sample): void => {
    let a = byMetric.get(key);
    if (a === undefined) byMetric.set(key, (a = empty(sample.type, sample.isTime)));
    add(a, sample.value);
  };
  return {
    add: (sample) => {
      put(sample.metric, sample);
      for (const [key, metric, filter] of filtered) if (metric === sample.metric && matches(filter, sample.tags)) put(key, sample);
    },
    summary: (durationMs, thresholds, options) => {
      const metrics: SummaryData['metrics'] = {};
      let thresholdsOk = true;
      for (const [name, a] of byMetric) {
        metrics[name] = { type: a.type, contains: a.isTime ? 'time' : 'default', values: summaryValues(a, durationMs / 1000) };
      }
      for (const [key, expressions] of Object.entries(thresholds)) {
        const entry = (metrics[key] ??= { type: 'counter', contains: 'default', values: { count: 0, rate: 0 } });
        entry.thresholds = {};
        for (const expression of expressions) {
          const ok = checkThreshold(entry.values, expression);
          entry.thresholds[expression] = { ok };
          if (!ok) thresholdsOk = false;
        }
      }
      return {
        data: {
          metrics,
          state: { testRunDurationMs: durationMs, isStdOutTTY: false, isStdErrTTY: false },
          options,
          root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] },
        },
        thresholdsOk,
      };
    },
  };
};
