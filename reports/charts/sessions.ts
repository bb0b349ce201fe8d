import { SESSION_BANDS, type Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, HEIGHT, variantColor, WIDTH } from './common.ts';

/**
 * 5. The distribution of per-session hit rates (ECDF), for all sessions and by session length,
 * with each variant's aggregate hit rate as a dashed rule in every panel: a good aggregate can
 * hide long sessions gone cold, because the aggregate is weighted by tokens, not by sessions.
 */
export const sessionHitRates = (figures: Figures): ChartSpec => {
  const bands = SESSION_BANDS.filter((band) => figures.sessionEcdf.some((p) => p.band === band));
  const values = [
    ...figures.sessionEcdf.map((p) => ({ ...p, layer: 'sessions' })),
    // Facets split one table: the aggregate rule is repeated in each band's panel.
    ...bands.flatMap((band) => figures.sessionAggregate.map((a) => ({ variant: a.variant, band, hitRate: a.hitRate, fraction: 0, layer: 'aggregate' }))),
  ];
  return {
    id: 'session-hit-rates',
    title: 'Per-session hit rates',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: {
        text: 'Hit rate per session (ECDF: share of sessions at or below), by session length',
        subtitle: 'dashed rule: the aggregate, token-weighted hit rate; curves left of it are sessions doing worse than the aggregate says',
      },
      config: baseConfig,
      data: { values },
      facet: { column: { field: 'band', type: 'nominal', title: null, sort: [...SESSION_BANDS], header: { labelFontSize: 12 } } },
      spec: {
        width: Math.max(150, Math.floor(WIDTH / Math.max(1, bands.length)) - 30),
        height: HEIGHT,
        layer: [
          {
            transform: [{ filter: "datum.layer === 'sessions'" }],
            mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 },
            encoding: {
              x: { field: 'hitRate', type: 'quantitative', title: 'session hit rate', scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 5 } },
              y: { field: 'fraction', type: 'quantitative', title: 'share of sessions', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
              color: variantColor(figures),
            },
          },
          {
            transform: [{ filter: "datum.layer === 'aggregate'" }],
            mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.5 },
            encoding: { x: { field: 'hitRate', type: 'quantitative' }, color: variantColor(figures) },
          },
        ],
      },
    } as ChartSpec['spec'],
  };
};
