import type { Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, HEIGHT, timeX, variantColor, WIDTH } from './common.ts';

/** 4. Time to first token p50 / p95 / p99 per bucket (log scale: queueing spans decades). */
export const ttftOverTime = (figures: Figures): ChartSpec => ({
  id: 'ttft',
  title: 'Time to first token',
  spec: {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Time to first token (ms, log scale), successful requests', subtitle: 'solid p50, dashed p95, dotted p99' },
    config: baseConfig,
    width: WIDTH,
    height: HEIGHT + 40,
    data: { values: figures.ttft },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
    encoding: {
      x: timeX(figures),
      y: { field: 'ttftMs', type: 'quantitative', title: 'TTFT (ms)', scale: { type: 'log' }, axis: { format: ',.0f' } },
      color: variantColor(figures),
      strokeDash: {
        field: 'percentile',
        type: 'nominal',
        title: 'percentile',
        scale: { domain: ['p50', 'p95', 'p99'], range: [[1, 0], [6, 3], [1, 3]] },
      },
    },
  } as ChartSpec['spec'],
});
