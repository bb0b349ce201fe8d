// The terminal report of `cachecast doctor`: a header with the log's figures, then the findings
// ranked by dollars, each with its excerpt pair and one-line fix.

import type { DoctorReport, Finding } from '../../core/ledger/doctor-report.ts';

const usd = (value: number): string => `$${value >= 100 ? value.toFixed(2) : value.toFixed(4)}`;
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

const finding = (f: Finding, rank: number): string => {
  const who = `${f.tenants.length === 1 ? `tenant ${f.tenants[0]}` : `${f.tenants.length} tenants`}, ${f.models.join(', ')}`;
  const lines = [`${String(rank).padStart(2)}. ${usd(f.costUsd).padStart(10)}  ${percent(f.costShare).padStart(7)}  ${f.title} (${int(f.requests)} request${f.requests === 1 ? "" : "s"}, ${int(f.lostTokens)} tokens not read; ${who})`];
  lines.push(`    ${f.detail}`);
  if (f.divergence) {
    lines.push(`    at ${f.divergence.path}, character ${int(f.divergence.charOffset)}:`);
    lines.push(`      earlier: ${f.divergence.before}`);
    lines.push(`      later:   ${f.divergence.after}`);
  }
  if (f.fieldsMoved) lines.push(`    moved: ${f.fieldsMoved.join('; ')}`);
  lines.push(`    fix: ${f.fix}`);
  if (f.scenario) lines.push(`    rehearse: cachecast run ${f.scenario}`);
  return lines.join('\n');
};

export const formatDoctor = (report: DoctorReport, limit = 10): string => {
  const total = report.findings.reduce((sum, f) => sum + f.costUsd, 0);
  const head = [
    `cachecast doctor: ${report.log} (profile ${report.profile})`,
    `${int(report.requests)} requests, ${report.fromIso} to ${report.toIso}${report.skipped > 0 ? `; ${int(report.skipped)} line${report.skipped === 1 ? '' : 's'} skipped, first: ${report.skippedExamples[0]}` : ''}`,
    `modelled prompt spend ${usd(report.promptSpendUsd)}, cache hit rate ${percent(report.hitRate)}`,
    '',
  ];
  if (report.findings.length === 0) return `${head.join('\n')}No finding: nothing in this log breaks the prompt cache in a way doctor knows.\n`;
  head.push(`${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} costing ${usd(total)} (${percent(report.promptSpendUsd > 0 ? total / report.promptSpendUsd : 0)} of prompt spend), dearest first:`, '');
  const shown = report.findings.slice(0, limit).map((f, i) => finding(f, i + 1));
  const more = report.findings.length > limit ? [`\n… ${report.findings.length - limit} more in --json or doctor.json`] : [];
  return `${head.join('\n')}${shown.join('\n\n')}${more.join('')}\n`;
};
