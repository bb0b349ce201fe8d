import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventRow, RequestRow } from '../../core/ledger/row.ts';
import type { RunSummary } from '../../core/ledger/run-summary.ts';

export const T0 = Date.parse('2026-03-02T12:00:00Z');
const MODEL = 'claude-sonnet-4-5-20250929'; // $3 input, $3.75 5-min write, $0.30 read, $15 output per MTok

export const request = (variant: string, atS: number, fields: Partial<RequestRow>): RequestRow => ({
  kind: 'request',
  atMs: T0 + atS * 1000,
  scenario: 'fixture',
  variant,
  tenant: 'acme',
  session: 's1',
  class: 'interactive',
  model: MODEL,
  node: 0,
  affinity: 'home',
  status: 200,
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  ttftMs: 900,
  latencyMs: 5_000,
  retryAfterMs: 0,
  attempt: 0,
  ...fields,
});

/**
 * Two one-minute buckets, figures by hand:
 * bucket 0: A writes 10k ($0.0375) + 1k uncached ($0.003) + 500 out ($0.0075) = $0.048;
 *           B reads 10k ($0.003) + 1k uncached ($0.003) + 500 out ($0.0075) = $0.0135.
 *           hit rate 10,000 / 22,000.
 * bucket 1: C is a 429 (batch, no tokens); D reads 10k ($0.003) + 2k uncached ($0.006) + 100 out
 *           ($0.0015) = $0.0105. hit rate 10,000 / 12,000.
 */
export const baselineRows = (variant = 'baseline'): Array<RequestRow | EventRow> => [
  request(variant, 0, { inputTokens: 1_000, cacheWriteTokens: 10_000, outputTokens: 500, costUsd: 0.048, ttftMs: 2_000 }),
  request(variant, 30, { inputTokens: 1_000, cacheReadTokens: 10_000, outputTokens: 500, costUsd: 0.0135, session: 's2' }),
  { kind: 'event', atMs: T0 + 45_000, scenario: 'fixture', variant, source: 'provider', name: 'tokenizer-upgrade', label: 'tokenizer upgrade' },
  request(variant, 70, { class: 'batch', status: 429, retryAfterMs: 1_000, node: -1, affinity: 'none', ttftMs: 0, latencyMs: 0 }),
  request(variant, 90, { inputTokens: 2_000, cacheReadTokens: 10_000, outputTokens: 100, costUsd: 0.0105, node: 1, affinity: 'overflow' }),
];

export const writeRun = (rows: Array<RequestRow | EventRow>, summary?: Partial<RunSummary>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-report-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ledger.ndjson'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  if (summary) writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  return dir;
};
