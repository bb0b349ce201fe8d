// What every chart shares: size, the time axis, one colour per variant in every figure.

import type { TopLevelSpec } from 'vega-lite';
import { bucketLabel } from '../aggregate/bucket-size.ts';
import type { Figures } from '../aggregate/figures.ts';

export const WIDTH = 760;
export const HEIGHT = 220;

export const variantColor = (figures: Figures) => ({
  field: 'variant',
  type: 'nominal' as const,
  title: 'variant',
  scale: { domain: figures.variants, scheme: 'tableau10' },
});

/** 24-hour UTC clock labels; the date joins them once a run spans more than a day. */
const timeFormat = (figures: Figures): string => {
  const spanMs = figures.cost.length === 0 ? 0 : Date.parse(figures.cost[figures.cost.length - 1].t) - figures.originMs;
  return spanMs > 86_400_000 ? '%b %d %H:%M' : figures.bucketMs < 60_000 ? '%H:%M:%S' : '%H:%M';
};

export const timeX = (figures: Figures) => ({
  field: 't',
  type: 'temporal' as const,
  title: `provider time (UTC), ${bucketLabel(figures.bucketMs)} buckets`,
  axis: { labelOverlap: true, grid: false, format: timeFormat(figures) },
  scale: { type: 'utc' as const },
});

export const usdAxis = { format: '$,.2~f' };

export interface ChartSpec {
  /** File stem: `cost-over-time` → cost-over-time.svg / .png. */
  id: string;
  title: string;
  spec: TopLevelSpec;
}

export const baseConfig = {
  font: 'DejaVu Sans',
  title: { fontSize: 15, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'right' as const, labelLimit: 260 },
  view: { stroke: '#ddd' },
  background: 'white',
};

/** One row per variant when a figure cannot overlay them (stacks, several series per variant). */
export const facetRows = (figures: Figures) => ({
  field: 'variant',
  type: 'nominal' as const,
  title: null,
  sort: figures.variants,
  header: { labelFontSize: 12, labelAngle: 0, labelAlign: 'left' as const, labelOrient: 'top' as const },
});
