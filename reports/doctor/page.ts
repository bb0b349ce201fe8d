// doctor.html: one self-contained page (inline SVG and CSS, no script) with the ranked findings,
// their excerpts side by side, and the chart of dollars lost per cause over time.

import { KIND_TITLES, type DoctorReport, type Finding } from '../../core/ledger/doctor-report.ts';
import { escapeHtml, PAGE_STYLE } from '../html/page.ts';

const usd = (value: number): string => `$${value >= 100 ? value.toFixed(2) : value.toFixed(4)}`;
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

const STYLE = `${PAGE_STYLE}
.finding{border:1px solid #ddd;border-radius:4px;padding:.6rem .9rem;margin:1rem 0}.finding h3{margin:.1rem 0 .4rem;font-size:1rem}
.excerpts td{font-family:"DejaVu Sans Mono",monospace;font-size:.8rem;white-space:pre-wrap}.fix{background:#f3f8f3;padding:.3rem .5rem}
.cost{color:#cf222e;font-weight:bold}td.num{white-space:nowrap}`;

const excerpts = (f: Finding): string => {
  const d = f.divergence;
  if (d === undefined) return '';
  return `<table class="excerpts"><tr><th>earlier request</th><td>${escapeHtml(d.before)}</td></tr><tr><th>later request</th><td>${escapeHtml(d.after)}</td></tr></table>
<p class="note">First difference: <code>${escapeHtml(d.path)}</code>, character ${int(d.charOffset)}, after ${int(d.tokenOffset)} prompt tokens.</p>`;
};

const findingCard = (f: Finding, rank: number): string => `<div class="finding" id="f${rank}">
<h3>${rank}. ${escapeHtml(f.title)} <span class="cost">${usd(f.costUsd)}</span> <small>${percent(f.costShare)} of prompt spend · ${int(f.requests)} request${f.requests === 1 ? "" : "s"} · ${int(f.lostTokens)} tokens not read from cache</small></h3>
<p>${escapeHtml(f.detail)}</p>
${excerpts(f)}
${f.fieldsMoved ? `<p>Moved: ${f.fieldsMoved.map((m) => `<code>${escapeHtml(m)}</code>`).join(', ')}</p>` : ''}
<p class="fix"><b>Fix:</b> ${escapeHtml(f.fix)}${f.scenario ? ` Rehearse it: <code>cachecast run ${escapeHtml(f.scenario)}</code>.` : ''}</p>
<p class="note">Tenants: ${f.tenants.map(escapeHtml).join(', ') || '(none named)'} · models: ${f.models.map(escapeHtml).join(', ')}</p>
</div>`;

const summaryTable = (findings: Finding[]): string => {
  const rows = findings.map(
    (f, i) => `<tr><td class="num">${i + 1}</td><td><a href="#f${i + 1}">${escapeHtml(KIND_TITLES[f.kind])}</a></td><td class="num">${usd(f.costUsd)}</td><td class="num">${percent(f.costShare)}</td><td class="num">${int(f.requests)}</td><td>${escapeHtml(f.fix)}</td></tr>`,
  );
  return `<table><thead><tr><th>#</th><th>cause</th><th>lost</th><th>share</th><th>requests</th><th>fix</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
};

export const MAX_CARDS = 50;

export const renderDoctorPage = (report: DoctorReport, chartSvg: string): string => {
  const total = report.findings.reduce((sum, f) => sum + f.costUsd, 0);
  const shown = report.findings.slice(0, MAX_CARDS);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cachecast doctor: ${escapeHtml(report.log)}</title>
<style>
${STYLE}</style></head><body>
<h1>cachecast doctor</h1>
<p class="note">Log <code>${escapeHtml(report.log)}</code>, ${int(report.requests)} requests from ${escapeHtml(report.fromIso)} to ${escapeHtml(report.toIso)}${report.skipped > 0 ? ` (${int(report.skipped)} lines skipped)` : ''}; profile <b>${escapeHtml(report.profile)}</b>${report.redacted ? '; excerpts redacted to hashes' : ''}.</p>
<p>Modelled prompt spend <b>${usd(report.promptSpendUsd)}</b>, cache hit rate ${percent(report.hitRate)}. The findings below cost <b class="cost">${usd(total)}</b> over the log (${percent(report.promptSpendUsd > 0 ? total / report.promptSpendUsd : 0)}).</p>
${report.findings.length === 0 ? '<p><b>No finding.</b> Nothing in this log breaks the prompt cache in a way doctor knows.</p>' : `<h2>Findings, dearest first</h2>\n${summaryTable(report.findings)}\n<h2>Cost lost per cause over time</h2>\n<figure class="chart" id="cost-lost">${chartSvg}</figure>\n<h2>Details</h2>\n${shown.map((f, i) => findingCard(f, i + 1)).join('\n')}${report.findings.length > shown.length ? `<p class="note">${int(report.findings.length - shown.length)} smaller findings are in doctor.json.</p>` : ''}`}
</body></html>
`;
};
