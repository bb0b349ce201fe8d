import type { Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, HEIGHT, timeX, variantColor, WIDTH } from './common.ts';

/** 2. Token-weighted hit rate per bucket, one line per variant, events and phases as rules. */
export const hitRateOverTime = (figures: Figures): ChartSpec => {
  // One rule per distinct moment: variants of one scenario share their phases.
  const seen = new Set<string>();
  const events = figures.events.filter((e) => {
    const key = `${e.t}|${e.label}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Staggered label rows near the bottom (pixels from the top), below a high hit-rate line and
  // apart from each other.
  const height = HEIGHT + 40;
  const labelled = events.map((e, i) => ({ ...e, labelY: height - 8 - (i % 4) * 13 }));
  return {
    id: 'hit-rate',
    title: 'Cache hit rate',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: 'Cache hit rate (% of input tokens read from cache)', subtitle: 'grey rules: provider events and scenario phases' },
      config: baseConfig,
      width: WIDTH,
      height,
      layer: [
        {
          data: { values: events },
          mark: { type: 'rule', color: '#888', strokeDash: [2, 2] },
          encoding: { x: timeX(figures) },
        },
        {
          data: { values: labelled },
          mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#444' },
          encoding: { x: timeX(figures), y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'label' } },
        },
        {
          data: { values: figures.hitRate },
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 },
          encoding: {
            x: timeX(figures),
            y: { field: 'hitRate', type: 'quantitative', title: 'hit rate', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
            color: variantColor(figures),
          },
        },
      ],
    } as ChartSpec['spec'],
  };
};
