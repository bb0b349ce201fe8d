// Sweep charts (vega-lite): the metric against each swept parameter, one line per value of the
// next parameter (the other parameters held at their baseline value), the seed spread as a band,
// the cheapest point of the chart marked.

import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../../core/ledger/sweep.ts';
import { baseConfig, type ChartSpec, HEIGHT, WIDTH } from '../charts/common.ts';
import { byMetric, type PointFigure, type SweepMetric } from './points.ts';

const label = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const METRIC_TITLES: Partial<Record<SweepMetric, string>> = {
  costPerRequestUsd: 'cost per request (USD)',
  costUsd: 'cost (USD)',
  hitRate: 'hit rate (token-weighted)',
  ttftP95Ms: 'TTFT p95 (ms)',
};

export const sweepCharts = (result: SweepResult, figures: PointFigure[], metric: SweepMetric): ChartSpec[] => {
  const baseline = figures.find((f) => f.point === 0)?.settings ?? {};
  return result.axes.map((axis, a) => {
    const series = result.axes.length > 1 ? result.axes[(a + 1) % result.axes.length] : undefined;
    const held = result.axes.filter((other) => other !== axis && other !== series);
    const shown = figures.filter((f) => held.every((h) => label(f.settings[h.path]) === label(baseline[h.path])));
    const numeric = axis.values.every((v) => typeof v === 'number');
    const data = shown.map((f) => ({
      x: numeric ? f.settings[axis.path] : label(f.settings[axis.path]),
      series: series === undefined ? 'all' : label(f.settings[series.path]),
      value: f.mean[metric],
      min: f.min,
      max: f.max,
    }));
    const cheapest = byMetric(shown, metric)[0];
    const x = { field: 'x', type: numeric ? ('quantitative' as const) : ('ordinal' as const), title: axis.path, ...(numeric ? { scale: { zero: false } } : { sort: axis.values.map(label) }) };
    const color = { field: 'series', type: 'nominal' as const, title: series?.path ?? '', sort: series?.values.map(label), scale: { scheme: 'tableau10' } };
    const y = { field: 'value', type: 'quantitative' as const, title: METRIC_TITLES[metric] ?? metric, scale: { zero: false } };
    const subtitle = [
      held.length > 0 ? `others at baseline: ${held.map((h) => `${h.path}=${label(baseline[h.path])}`).join(', ')}` : '',
      result.seeds > 1 ? `band: min–max over ${result.seeds} seeds` : '',
      cheapest === undefined ? '' : `cheapest: ${Object.entries(cheapest.settings).map(([k, v]) => `${k}=${label(v)}`).join(', ')}`,
    ].filter((s) => s !== '');
    const spec: TopLevelSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `${METRIC_TITLES[metric] ?? metric} by ${axis.path}`, subtitle },
      width: WIDTH,
      height: HEIGHT,
      config: baseConfig,
      data: { values: data },
      layer: [
        { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' }, color } },
        { mark: { type: 'line', point: true }, encoding: { x, y, color } },
        {
          transform: [{ filter: cheapest === undefined ? 'false' : `datum.value === ${cheapest.mean[metric]}` }],
          mark: { type: 'point', shape: 'diamond', size: 220, filled: true, color: '#d62728' },
          encoding: { x, y },
        },
      ],
    } as TopLevelSpec;
    return { id: `sweep-${axis.path.replace(/[^a-zA-Z0-9]+/g, '-')}`, title: `${metric} by ${axis.path}`, spec };
  });
};
