import type { RunSummary } from '../../core/ledger/run-summary.ts';

const usd = (value: number): string => `$${value >= 100 ? value.toFixed(2) : value.toFixed(4)}`;
const int = (value: number): string => Math.round(value).toLocaleString('en-US');

/** The summary table printed after a run. */
export const formatSummary = (s: RunSummary): string => {
  const t = s.totals;
  const rows: Array<[string, string]> = [
    ['requests', `${int(t.requests)} (${int(t.ok)} ok, ${int(t.rateLimited)} × 429, ${int(t.overloaded)} × 529${t.serverErrors > 0 ? `, ${int(t.serverErrors)} × 500` : ''})`],
    ['input tokens', `${int(t.inputTokens)} uncached, ${int(t.cacheWriteTokens)} cache write, ${int(t.cacheReadTokens)} cache read`],
    ['output tokens', int(t.outputTokens)],
    ['hit rate', `${(t.hitRate * 100).toFixed(1)} % of input tokens read from cache`],
    ['cost', `${usd(t.costUsd)} (${usd(t.costPerRequestUsd)} per request)`],
    ['TTFT', `p50 ${int(t.ttftP50Ms)} ms, p95 ${int(t.ttftP95Ms)} ms, p99 ${int(t.ttftP99Ms)} ms`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`${s.scenario} / ${s.variant} (seed ${s.seed}, ${(s.durationMs / 60_000).toFixed(0)} min of provider time from ${s.startIso})`];
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${v}`);
  if (s.expectations.length > 0) {
    lines.push('  expectations:');
    for (const e of s.expectations) {
      lines.push(`    ${e.pass ? 'PASS' : 'FAIL'}  ${e.name}: ${e.noData === true ? 'no data (no rows to measure)' : +e.measured.toFixed(4)} (want ${e.bound})`);
    }
  }
  return `${lines.join('\n')}\n`;
};
