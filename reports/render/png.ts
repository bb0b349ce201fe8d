// SVG → PNG with resvg (Rust, no browser). Text needs a real font: DejaVu Sans, shipped inside the
// dejavu-fonts-ttf npm package, so a PNG renders the same on every machine whatever fonts the
// system has (none, on a fresh container), and no apt step is needed.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((name) => join(FONT_DIR, name));

export interface Png {
  data: Buffer;
  width: number;
  height: number;
}

export const renderPng = (svg: string, scale = 2): Png => {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  return { data: image.asPng(), width: image.width, height: image.height };
};
