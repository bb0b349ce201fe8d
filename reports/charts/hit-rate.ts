import type { Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, HEIGHT, timeX, variantColor, WIDTH } from './common.ts';

const ROWS = 5;
const ROW_PX = 13;
const CHAR_PX = 6.2;

const placeLabels = (events: Figures['events'], figures: Figures, height: number) => {
  // Loops, not Math.min(...times): spreading more than ~120k arguments throws RangeError.
  let fromMs = figures.originMs;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const c of figures.cost) {
    const t = Date.parse(c.t);
    fromMs = Math.min(fromMs, t);
    lastMs = Math.max(lastMs, t);
  }
  const spanMs = Math.max(1, Math.max(lastMs, fromMs + 1) + figures.bucketMs - fromMs);
  const rowEndsPx: number[] = new Array(ROWS).fill(Number.NEGATIVE_INFINITY);
  const placed: Array<Figures['events'][number] & { labelY: number }> = [];
  for (const e of [...events].sort((a, b) => a.t.localeCompare(b.t))) {
    const x = ((Date.parse(e.t) - fromMs) / spanMs) * WIDTH;
    const row = rowEndsPx.findIndex((end) => end < x);
    if (row < 0) continue;
    rowEndsPx[row] = x + 6 + e.label.length * CHAR_PX;
    placed.push({ ...e, labelY: height - 8 - row * ROW_PX });
  }
  return placed;
};

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
  // Labels go in rows near the bottom, each in the lowest row with room; one that fits no row
  // keeps its rule but loses its text, so labels never overlap (8 variants can share a moment).
  const height = HEIGHT + 40;
  const labelled = placeLabels(events, figures, height);
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
          mark: { type: 'rule', color: '#999', strokeDash: [2, 2] },
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
