// A sweep's rows → one figure per point: the metric's mean over the seeds and its spread (min,
// max), sorted by cost, with each point's ratio to the baseline (point 0).

import type { Totals } from '../../core/ledger/run-summary.ts';
import type { SweepResult } from '../../core/ledger/sweep.ts';

export type SweepMetric = keyof Totals;

export interface PointFigure {
  point: number;
  settings: Record<string, unknown>;
  /** Mean over the point's seeds. */
  mean: Totals;
  /** The chosen metric's smallest and largest value over the seeds. */
  min: number;
  max: number;
}

export const pointFigures = (result: SweepResult, metric: SweepMetric): PointFigure[] => {
  const byPoint = new Map<number, SweepResult['rows']>();
  for (const row of result.rows) {
    const rows = byPoint.get(row.point) ?? [];
    rows.push(row);
    byPoint.set(row.point, rows);
  }
  return [...byPoint.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([point, rows]) => {
      const mean = Object.fromEntries(
        (Object.keys(rows[0].totals) as SweepMetric[]).map((k) => [k, rows.reduce((sum, r) => sum + r.totals[k], 0) / rows.length]),
      ) as unknown as Totals;
      const values = rows.map((r) => r.totals[metric]);
      return { point, settings: rows[0].settings, mean, min: Math.min(...values), max: Math.max(...values) };
    });
};

/** Cheapest first (by `metric`); ties by point index, so the order is stable. */
export const byMetric = (figures: PointFigure[], metric: SweepMetric): PointFigure[] =>
  figures.slice().sort((a, b) => a.mean[metric] - b.mean[metric] || a.point - b.point);

/** `sweep.csv`: one line per point and seed, the settings then every total. */
export const sweepCsv = (result: SweepResult): string => {
  const paths = result.axes.map((a) => a.path);
  const totalKeys = result.rows.length === 0 ? [] : (Object.keys(result.rows[0].totals) as SweepMetric[]);
  const cell = (value: unknown): string => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [['point', 'seed', ...paths, ...totalKeys].map(cell).join(',')];
  for (const row of result.rows) lines.push([row.point, row.seed, ...paths.map((p) => row.settings[p]), ...totalKeys.map((k) => row.totals[k])].map(cell).join(','));
  return `${lines.join('\n')}\n`;
};
