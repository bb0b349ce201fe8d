// Streaming measures for expectations: each reads rows in time order and keeps only what its
// figure needs (a counter, a histogram, per-bucket sums), never the rows.

import { type RequestRow, totalInputTokens } from '../../core/ledger/row.ts';
import { parseDuration, type Duration } from './durations.ts';
import type { Measure, MeasureContext } from './format.ts';
import type { PriceUsdPerMTok } from '../../core/model/config.ts';
import { costBreakdownUsd } from '../../core/model/pricing.ts';

export type RowFilter = (row: RequestRow, context: MeasureContext) => boolean;
export type MeasureFactory = (context: MeasureContext) => Measure;

const all: RowFilter = () => true;

/** Rows whose arrival is in [from, to) of scenario time. */
export const between = (from: Duration, to: Duration): RowFilter => {
  const fromMs = parseDuration(from);
  const toMs = parseDuration(to);
  return (row, c) => row.atMs - c.startMs >= fromMs && row.atMs - c.startMs < toMs;
};
export const ofClass = (...classes: string[]): RowFilter => (row) => classes.includes(row.class);
export const ok: RowFilter = (row) => row.status === 200;
export const writes: RowFilter = (row) => row.cacheWriteTokens > 0;
export const both = (...filters: RowFilter[]): RowFilter => (row, c) => filters.every((f) => f(row, c));

/** `empty` says when the figure has no samples (a ratio, rate or percentile over nothing). */
const reducer = (where: RowFilter, add: (row: RequestRow) => void, value: () => number, empty?: () => boolean): MeasureFactory => (context) => ({
  add: (row) => {
    if (where(row, context)) add(row);
  },
  value,
  ...(empty === undefined ? {} : { empty }),
});

export const count = (where: RowFilter = all): MeasureFactory => (context) => {
  let n = 0;
  return reducer(where, () => n++, () => n)(context);
};

type NumericField = 'inputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'outputTokens' | 'costUsd' | 'ttftMs' | 'latencyMs';

export const sum = (field: NumericField, where: RowFilter = all): MeasureFactory => (context) => {
  let total = 0;
  return reducer(where, (row) => (total += row[field]), () => total)(context);
};

/** Token-weighted: cache-read tokens / all input tokens of the rows. */
export const hitRate = (where: RowFilter = all): MeasureFactory => (context) => {
  let read = 0;
  let input = 0;
  return reducer(
    where,
    (row) => {
      read += row.cacheReadTokens;
      input += totalInputTokens(row);
    },
    () => (input === 0 ? 0 : read / input),
    () => input === 0,
  )(context);
};

export const percentile = (field: 'ttftMs' | 'latencyMs', p: number, where: RowFilter = ok): MeasureFactory => (context) => {
  const h = context.histogram();
  let n = 0;
  return reducer(
    where,
    (row) => {
      n++;
      h.recordValue(Math.max(1, Math.round(row[field])));
    },
    () => (n === 0 ? 0 : h.getValueAtPercentile(p)),
    () => n === 0,
  )(context);
};

/** Largest per-group count among the rows, e.g. cache writes per node. */
export const maxPerGroup = (group: (row: RequestRow) => string | number, where: RowFilter = all): MeasureFactory => (context) => {
  const counts = new Map<string | number, number>();
  return reducer(
    where,
    (row) => counts.set(group(row), (counts.get(group(row)) ?? 0) + 1),
    () => Math.max(0, ...counts.values()),
  )(context);
};

/**
 * The costliest bucket divided by the average bucket cost over the `trailing` span before it:
 * "three minutes at nine times the trailing hourly average".
 */
export const peakBucketCostRatio = (bucket: Duration = '1m', trailing: Duration = '1h', where: RowFilter = all): MeasureFactory => (context) => {
  const bucketMs = parseDuration(bucket);
  const trailingBuckets = Math.max(1, Math.round(parseDuration(trailing) / bucketMs));
  const costs = new Map<number, number>();
  return reducer(
    where,
    (row) => {
      const b = Math.floor((row.atMs - context.startMs) / bucketMs);
      costs.set(b, (costs.get(b) ?? 0) + row.costUsd);
    },
    () => {
      let best = 0;
      for (const [b, cost] of costs) {
        if (b < trailingBuckets) continue; // a trailing average needs a full trailing span
        let before = 0;
        for (let i = b - trailingBuckets; i < b; i++) before += costs.get(i) ?? 0;
        const average = before / trailingBuckets;
        if (average > 0) best = Math.max(best, cost / average);
      }
      return best;
    },
    // No bucket with spend after a full trailing span of spend: nothing to compare.
    () => {
      for (const b of costs.keys()) {
        if (b < trailingBuckets) continue;
        for (let i = b - trailingBuckets; i < b; i++) if ((costs.get(i) ?? 0) > 0) return false;
      }
      return true;
    },
  )(context);
};

/** a / b of two measures over the same rows (0 when b is 0). */
export const ratio = (a: MeasureFactory, b: MeasureFactory): MeasureFactory => (context) => {
  const ma = a(context);
  const mb = b(context);
  return {
    add: (row) => {
      ma.add(row);
      mb.add(row);
    },
    value: () => (mb.value() === 0 ? 0 : ma.value() / mb.value()),
    // A ratio over a zero denominator, or over a side that has no data itself.
    empty: () => mb.value() === 0 || (ma.empty?.() ?? false) || (mb.empty?.() ?? false),
  };
};

/** Rows the provider answered with this HTTP status (429, 529 ...). */
export const status = (code: number): RowFilter => (row) => row.status === code;
export const ofSession = (prefix: string): RowFilter => (row) => row.session.startsWith(prefix);
export const ofTenant = (...tenants: string[]): RowFilter => (row) => tenants.includes(row.tenant);
export const ofModel = (...models: string[]): RowFilter => (row) => models.includes(row.model);

/** A measure times a constant (per-hour rates, percentages). */
export const scaled = (factor: number, m: MeasureFactory): MeasureFactory => (context) => {
  const inner = m(context);
  return { add: inner.add, value: () => inner.value() * factor, ...(inner.empty === undefined ? {} : { empty: inner.empty }) };
};

/** Dollars per hour spent by rows arriving in [from, to) of scenario time. */
export const costPerHour = (from: Duration, to: Duration, where: RowFilter = all): MeasureFactory =>
  scaled(3_600_000 / (parseDuration(to) - parseDuration(from)), sum('costUsd', both(between(from, to), where)));

/** Spend rate in one window ÷ spend rate in another: "the day after costs 3.6× the day before". */
export const costRateRatio = (
  window: readonly [Duration, Duration],
  reference: readonly [Duration, Duration],
  where: RowFilter = all,
): MeasureFactory => ratio(costPerHour(window[0], window[1], where), costPerHour(reference[0], reference[1], where));

/**
 * The p-th percentile (0–100) of per-session hit rates, over sessions with at least `minRequests`
 * rows: the long sessions a token-weighted aggregate hides.
 */
export const sessionHitRatePercentile = (p: number, minRequests = 1, where: RowFilter = all): MeasureFactory => (context) => {
  const sessions = new Map<string, { read: number; input: number; n: number }>();
  return reducer(
    where,
    (row) => {
      let s = sessions.get(row.session);
      if (s === undefined) {
        s = { read: 0, input: 0, n: 0 };
        sessions.set(row.session, s);
      }
      s.read += row.cacheReadTokens;
      s.input += totalInputTokens(row);
      s.n++;
    },
    () => {
      const rates = [...sessions.values()].filter((s) => s.n >= minRequests && s.input > 0).map((s) => s.read / s.input);
      if (rates.length === 0) return 0;
      rates.sort((a, b) => a - b);
      return rates[Math.min(rates.length - 1, Math.max(0, Math.ceil((p / 100) * rates.length) - 1))];
    },
    // No session long enough (e.g. a live run too short for a complete 20-turn session).
    () => ![...sessions.values()].some((s) => s.n >= minRequests && s.input > 0),
  )(context);
};

/** Input-side dollars (uncached + cache write + cache read, no output) at the model's prices. */
export const inputCostUsd = (prices: PriceUsdPerMTok, where: RowFilter = all): MeasureFactory => (context) => {
  let total = 0;
  return reducer(
    where,
    (row) => {
      const b = costBreakdownUsd(prices, { ...row, outputTokens: 0 });
      total += b.total;
    },
    () => total,
  )(context);
};

/** Scenario time (ms) of the first matching row; +Infinity when none. */
export const firstAtMs = (where: RowFilter): MeasureFactory => (context) => {
  let first = Number.POSITIVE_INFINITY;
  return reducer(where, (row) => (first = Math.min(first, row.atMs - context.startMs)), () => first)(context);
};
/** Attempts that were the client's last: refused and not retried again. */
export const finalAttempt = (maxRetries: number): RowFilter => (row) => row.attempt >= maxRetries;
