// A sweep's files: sweep.json, sweep.csv, one chart per swept parameter (vega-lite spec, SVG,
// PNG) and sweep.html, a self-contained page with the charts and the table of points.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepResult } from '../../core/ledger/sweep.ts';
import { renderPng } from '../render/png.ts';
import { renderSvg } from '../render/svg.ts';
import { sweepCharts } from './charts.ts';
import { byMetric, pointFigures, type SweepMetric, sweepCsv } from './points.ts';

export interface SweepFiles {
  json: string;
  csv: string;
  html: string;
  charts: string[];
}

const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const label = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

export const writeSweepData = (result: SweepResult, outDir: string): { json: string; csv: string } => {
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'sweep.json');
  const csv = join(outDir, 'sweep.csv');
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(csv, sweepCsv(result));
  return { json, csv };
};

export const writeSweepReport = async (result: SweepResult, outDir: string, metric: SweepMetric): Promise<SweepFiles> => {
  const data = writeSweepData(result, outDir);
  const figures = pointFigures(result, metric);
  const charts = sweepCharts(result, figures, metric);
  const svgs: string[] = [];
  const files: string[] = [];
  for (const chart of charts) {
    const svg = await renderSvg(chart.spec);
    svgs.push(svg);
    writeFileSync(join(outDir, `${chart.id}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`);
    writeFileSync(join(outDir, `${chart.id}.svg`), svg);
    writeFileSync(join(outDir, `${chart.id}.png`), renderPng(svg).data);
    files.push(join(outDir, `${chart.id}.png`));
  }
  const baseline = figures.find((f) => f.point === 0);
  const paths = result.axes.map((a) => a.path);
  const rows = byMetric(figures, metric)
    .map((f) => {
      const ratio = baseline === undefined || baseline.mean[metric] === 0 ? '' : (f.mean[metric] / baseline.mean[metric]).toFixed(3);
      const cells = [...paths.map((p) => label(f.settings[p])), f.mean.costPerRequestUsd.toPrecision(4), (f.mean.hitRate * 100).toFixed(2), String(+f.mean.rateLimited.toFixed(1)), f.mean.ttftP95Ms.toFixed(0), f.mean[metric].toPrecision(5), ratio];
      return `<tr${f.point === 0 ? ' class="baseline"' : ''}>${cells.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const head = [...paths, 'cost / request (USD)', 'hit rate (%)', '429s', 'TTFT p95 (ms)', metric, `× baseline`].map((h) => `<th>${escape(h)}</th>`).join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>sweep: ${escape(result.target)}</title>
<style>body{font-family:DejaVu Sans,sans-serif;margin:2em;max-width:900px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}tr.baseline{font-weight:bold}</style></head>
<body><h1>Sweep of ${escape(result.target)} (${escape(result.variant)})</h1>
<p>${figures.length} points × ${result.seeds} seed(s), sorted by ${escape(metric)}; bold: the baseline (every parameter's first value).</p>
${svgs.join('\n')}
<table><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
  const htmlPath = join(outDir, 'sweep.html');
  writeFileSync(htmlPath, html);
  return { ...data, html: htmlPath, charts: files };
};
