import type { Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, HEIGHT, variantColor, WIDTH } from './common.ts';

/**
 * 5. The distribution of per-session hit rates (ECDF) with each variant's aggregate as a rule:
 * a good aggregate can hide long sessions gone cold (survivorship: hits come from the busy ones).
 */
export const sessionHitRates = (figures: Figures): ChartSpec => ({
  id: 'session-hit-rates',
  title: 'Per-session hit rates',
  spec: {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Hit rate per session: cumulative share of sessions (ECDF)',
      subtitle: 'vertical rule: the aggregate hit rate of all tokens; a rule far right of the curve means most sessions do worse than the aggregate',
    },
    config: baseConfig,
    width: WIDTH,
    height: HEIGHT + 40,
    layer: [
      {
        data: { values: figures.sessionEcdf },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 },
        encoding: {
          x: { field: 'hitRate', type: 'quantitative', title: 'session hit rate (% of the session\'s input tokens read from cache)', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          y: { field: 'fraction', type: 'quantitative', title: 'share of sessions at or below', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: variantColor(figures),
        },
      },
      {
        data: { values: figures.sessionAggregate },
        mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'hitRate', type: 'quantitative' }, color: variantColor(figures) },
      },
    ],
  } as ChartSpec['spec'],
});
