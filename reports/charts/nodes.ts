import { bucketLabel } from '../aggregate/bucket-size.ts';
import type { Figures } from '../aggregate/figures.ts';
import { baseConfig, type ChartSpec, facetRows, timeX, WIDTH } from './common.ts';

/** 6. Requests per node, and how each request was routed (home / overflow / random). */
export const nodeLoad = (figures: Figures): ChartSpec => {
  const bucket = bucketLabel(figures.bucketMs);
  const values = [
    ...figures.nodes.map((r) => ({ t: r.t, variant: r.variant, panel: 'requests per node', series: r.node, requests: r.requests })),
    ...figures.affinity.map((r) => ({ t: r.t, variant: r.variant, panel: 'routing outcome', series: r.affinity, requests: r.requests })),
  ];
  return {
    id: 'node-load',
    title: 'Node load and routing',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `Load per node and routing outcome, requests per ${bucket} bucket`, subtitle: 'overflow: sent away from the prefix\'s home node (a cold cache there)' },
      config: baseConfig,
      data: { values },
      facet: { row: facetRows(figures), column: { field: 'panel', type: 'nominal', title: null, header: { labelFontSize: 12 } } },
      spec: {
        width: WIDTH / 2 - 40,
        height: 170,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.4 },
        encoding: {
          x: timeX(figures),
          y: { field: 'requests', type: 'quantitative', title: `requests per ${bucket}` },
          color: { field: 'series', type: 'nominal', title: null, scale: { scheme: 'tableau10' } },
        },
      },
      // Nodes and routing outcomes are different things: each panel gets its own colours and legend.
      resolve: { scale: { y: 'independent', color: 'independent' } },
    } as ChartSpec['spec'],
  };
};
