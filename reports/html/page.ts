// report.html: one self-contained page (inline SVG, inline CSS, no script), so it opens offline
// from disk and can be attached to a ticket.

import type { ExpectationResult } from '../../core/ledger/run-summary.ts';
import type { Figures, VariantTotals } from '../aggregate/figures.ts';

export interface PageInput {
  title: string;
  descriptions: Array<{ scenario: string; description: string }>;
  expectations: Array<{ variant: string; results: ExpectationResult[] }>;
  figures: Figures;
  charts: Array<{ id: string; title: string; svg: string }>;
  inputs: string[];
}

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const usd = (value: number): string => `$${value >= 100 ? value.toFixed(2) : value.toFixed(4)}`;
const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '∞');
const int = (value: number): string => Math.round(value).toLocaleString('en-US');

const totalsTable = (totals: VariantTotals[]): string => {
  const head = ['variant', 'requests', 'cost', 'cost per 1k requests', 'hit rate', '429s', 'TTFT p95 (ms)'];
  const rows = totals.map((t, i) => {
    const cells = [
      escapeHtml(t.variant),
      int(t.requests),
      `${usd(t.costUsd)}${i === 0 ? '' : ` <small>${ratio(t.vsBaseline.costUsd)}</small>`}`,
      `${usd(t.costPer1kRequestsUsd)}${i === 0 ? '' : ` <small>${ratio(t.vsBaseline.costPer1kRequestsUsd)}</small>`}`,
      `${(t.hitRate * 100).toFixed(1)} %${i === 0 ? '' : ` <small>${ratio(t.vsBaseline.hitRate)}</small>`}`,
      `${int(t.rateLimited)}${i === 0 ? '' : ` <small>${ratio(t.vsBaseline.rateLimited)}</small>`}`,
      `${int(t.ttftP95Ms)}${i === 0 ? '' : ` <small>${ratio(t.vsBaseline.ttftP95Ms)}</small>`}`,
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="totals"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="note">Small figures: ratio to the baseline (the first input, <b>${escapeHtml(totals[0]?.variant ?? '')}</b>).</p>`;
};

const expectationsTable = (expectations: PageInput['expectations']): string => {
  const rows = expectations.flatMap(({ variant, results }) =>
    results.map(
      (e) =>
        `<tr class="${e.pass ? 'pass' : 'fail'}"><td>${e.pass ? 'PASS' : 'FAIL'}</td><td>${escapeHtml(variant)}</td><td>${escapeHtml(e.name)}</td><td>${escapeHtml(e.description)}</td><td class="num">${+e.measured.toFixed(4)}</td><td>${escapeHtml(e.bound)}</td></tr>`,
    ),
  );
  if (rows.length === 0) return '<p>No expectations were recorded with these ledgers (run directories with summary.json carry them).</p>';
  return `<table><thead><tr><th></th><th>variant</th><th>expectation</th><th>what it measures</th><th>measured</th><th>bound</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
};

/** The pages' shared look (report.html, doctor.html). */
export const PAGE_STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}td,th{border:1px solid #ddd;padding:.3rem .55rem;text-align:left}
table.totals td:not(:first-child),table.totals th:not(:first-child),td.num{text-align:right}small{color:#666}.pass td:first-child{color:#1a7f37;font-weight:bold}
.fail td:first-child{color:#cf222e;font-weight:bold}.note{color:#555;font-size:.85rem}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
`;

export const renderPage = (input: PageInput): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>
${PAGE_STYLE}</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<p class="note">From ${input.inputs.map((i) => `<code>${escapeHtml(i)}</code>`).join(', ')}.</p>
${input.descriptions.map((d) => `<p><b>${escapeHtml(d.scenario)}</b>: ${escapeHtml(d.description)}</p>`).join('\n')}
<h2>Totals</h2>
${totalsTable(input.figures.totals)}
<h2>Expectations</h2>
${expectationsTable(input.expectations)}
${input.charts.map((c) => `<h2>${escapeHtml(c.title)}</h2>\n<figure class="chart" id="${c.id}">${c.svg}</figure>`).join('\n')}
</body></html>
`;
