import { bucketLabel } from '../aggregate/bucket-size.ts';
import type { Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, facetRows, HEIGHT, timeX, WIDTH } from './common.ts';

/** 3. Requests and 429s per bucket by traffic class; one row per variant. */
export const trafficOverTime = (figures: Figures): ChartSpec => ({
  id: 'requests-and-429s',
  title: 'Requests and 429s',
  spec: {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Requests and 429s per ${bucketLabel(figures.bucketMs)} bucket, by traffic class`, subtitle: 'left: requests sent; right: answered 429 (rate limited), on its own scale' },
    config: baseConfig,
    data: { values: figures.traffic },
    // 429s get their own panel and scale: a few dozen refusals vanish beside thousands of requests.
    facet: { row: facetRows(figures), column: { field: 'series', type: 'nominal', title: null, sort: ['requests', '429s'], header: { labelFontSize: 12 } } },
    spec: {
      width: WIDTH / 2 - 40,
      height: HEIGHT - 40,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
      encoding: {
        x: timeX(figures),
        y: { field: 'count', type: 'quantitative', title: 'per bucket', scale: { domain: { unionWith: [0, 1] } }, axis: { format: ',d', tickMinStep: 1 } },
        color: { field: 'class', type: 'nominal', title: 'traffic class', scale: { scheme: 'dark2' } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as ChartSpec['spec'],
});
