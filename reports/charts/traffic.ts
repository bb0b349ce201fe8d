import { bucketLabel } from '../aggregate/bucket-size.ts';
import type { Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, facetRows, HEIGHT, timeX, WIDTH } from './common.ts';

/** 3. Requests and 429s per bucket by traffic class; one row per variant. */
export const trafficOverTime = (figures: Figures): ChartSpec => ({
  id: 'requests-and-429s',
  title: 'Requests and 429s',
  spec: {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Requests and 429s per ${bucketLabel(figures.bucketMs)} bucket, by traffic class`, subtitle: 'solid: requests sent; dashed: answered 429 (rate limited)' },
    config: baseConfig,
    data: { values: figures.traffic },
    facet: { row: facetRows(figures) },
    spec: {
      width: WIDTH,
      height: HEIGHT,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
      encoding: {
        x: timeX(figures),
        y: { field: 'count', type: 'quantitative', title: 'requests per bucket' },
        color: { field: 'class', type: 'nominal', title: 'traffic class', scale: { scheme: 'dark2' } },
        strokeDash: { field: 'series', type: 'nominal', title: 'series', scale: { domain: ['requests', '429s'], range: [[1, 0], [5, 3]] } },
      },
    },
  } as ChartSpec['spec'],
});
