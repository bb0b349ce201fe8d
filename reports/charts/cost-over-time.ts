import { bucketLabel } from '../aggregate/bucket-size.ts';
import type { Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, facetRows, HEIGHT, timeX, usdAxis, WIDTH } from './common.ts';

const TRAILING = 'trailing-hour average';

/** 1. Dollars per bucket stacked by token kind, with the trailing-hour average as a line. */
export const costOverTime = (figures: Figures): ChartSpec => {
  const bucket = bucketLabel(figures.bucketMs);
  // Facets split one table, so both series share it, told apart by `kind`.
  const values = [...figures.cost, ...figures.costTrailingHour.map((r) => ({ ...r, kind: TRAILING }))];
  return {
    id: 'cost-over-time',
    title: 'Cost over time',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `Cost per ${bucket} bucket (USD), by token kind`, subtitle: `dashed line: ${TRAILING} of the bucket cost` },
      config: baseConfig,
      data: { values },
      facet: { row: facetRows(figures) },
      spec: {
        width: WIDTH,
        height: HEIGHT,
        layer: [
          {
            transform: [{ filter: `datum.kind !== '${TRAILING}'` }],
            mark: { type: 'area', interpolate: 'step-after', opacity: 0.85 },
            encoding: {
              x: timeX(figures),
              y: { field: 'costUsd', type: 'quantitative', aggregate: 'sum', stack: 'zero', title: `USD per ${bucket}`, axis: usdAxis },
              color: {
                field: 'kind',
                type: 'nominal',
                title: 'token kind',
                scale: { domain: ['uncached input', 'cache write', 'cache read', 'output', TRAILING], range: ['#e15759', '#f28e2b', '#59a14f', '#bab0ac', '#222222'] },
              },
              order: { field: 'kind', sort: 'ascending' },
            },
          },
          {
            transform: [{ filter: `datum.kind === '${TRAILING}'` }],
            mark: { type: 'line', strokeDash: [4, 3], strokeWidth: 1.5 },
            encoding: { x: timeX(figures), y: { field: 'costUsd', type: 'quantitative' }, color: { field: 'kind', type: 'nominal' } },
          },
        ],
      },
    } as ChartSpec['spec'],
  };
};
