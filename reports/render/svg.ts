// vega-lite → vega → SVG, headless: vega's 'none' renderer lays out and serialises the scene
// without a browser or canvas.

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export const compileSpec = (spec: TopLevelSpec): vega.Spec => compile(spec).spec;

export const renderSvg = async (spec: TopLevelSpec): Promise<string> => {
  const view = new vega.View(vega.parse(compileSpec(spec)), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};
