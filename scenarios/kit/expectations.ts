// Expectations: each scenario's phenomenon as numbers, measured by streaming reducers over the
// rows as they are emitted, then compared with their bound.

import * as hdr from 'hdr-histogram-js';
import type { Expectation, Histogram, Measure, MeasureContext } from './format.ts';
import type { ExpectationResult } from '../../core/ledger/run-summary.ts';
import type { RequestRow } from '../../core/ledger/row.ts';

export interface ExpectationRun {
  add: (row: RequestRow) => void;
  results: () => ExpectationResult[];
}

const holds = (measured: number, op: Expectation['op'], bound: number): boolean => {
  switch (op) {
    case '>=':
      return measured >= bound;
    case '<=':
      return measured <= bound;
    case '>':
      return measured > bound;
    case '<':
      return measured < bound;
  }
};

/** Millisecond latencies up to a day, 3 significant digits (STYLE §13: percentiles from HDR histograms). */
const latencyHistogram = (): Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 24 * 3_600_000, numberOfSignificantValueDigits: 3 });

/** The context every measure of a run starts with. */
export const measureContext = (startMs: number): MeasureContext => ({ startMs, histogram: latencyHistogram });

export const startExpectations = (expectations: readonly Expectation[], { startMs }: Pick<MeasureContext, 'startMs'>): ExpectationRun => {
  const context = measureContext(startMs);
  const measures: Measure[] = expectations.map((e) => e.measure(context));
  return {
    add: (row) => {
      for (const m of measures) m.add(row);
    },
    results: () =>
      expectations.map((e, i) => {
        const measured = measures[i].value();
        // A figure over no samples neither holds nor fails its bound: it fails, saying it had no data.
        if (measures[i].empty?.() === true) return { name: e.name, description: e.description, measured, bound: `${e.op} ${e.value}`, pass: false, noData: true };
        return { name: e.name, description: e.description, measured, bound: `${e.op} ${e.value}`, pass: holds(measured, e.op, e.value) };
      }),
  };
};
