// SVG → PNG with resvg (Rust, no browser). Text needs a real font: DejaVu Sans, from Debian's
// fonts-dejavu-core, which .ci/run installs; system fonts are loaded as the fallback.

import { Resvg } from '@resvg/resvg-js';

export interface Png {
  data: Buffer;
  width: number;
  height: number;
}

export const renderPng = (svg: string, scale = 2): Png => {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  return { data: image.asPng(), width: image.width, height: image.height };
};
