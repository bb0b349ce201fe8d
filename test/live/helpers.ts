// Runs `cachecast live` in-process against a real k6 and reads back what it left: summary.json
// (from the ledger), k6-summary.json (k6's handleSummary) and the ledger rows.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
import type { RunSummary } from '../../core/ledger/run-summary.ts';
import type { CachecastK6Figures } from '../../k6/bundle/summary.ts';
import { runCli } from '../cli/helpers.ts';
import type { K6Binary } from './k6-binaries.ts';

export interface LiveRun {
  error: (Error & { code?: string; exitCode?: number }) | undefined;
  out: string;
  err: string;
  summary: RunSummary;
  k6: CachecastK6Figures;
  requests: RequestRow[];
  script: string;
}

export const live = async (ref: string, k6: K6Binary, variant: string | undefined, timeScale: number | 'auto', extra: string[] = []): Promise<LiveRun> => {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-live-'));
  const args = ['live', ref, '--k6', k6.path, '--time-scale', String(timeScale), '--out', dir, ...(variant === undefined ? [] : ['--variant', variant]), ...extra];
  const { out, err, error } = await runCli(args);
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  const rows = read('ledger.ndjson').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LedgerRow);
  return {
    error,
    out,
    err,
    summary: JSON.parse(read('summary.json')) as RunSummary,
    k6: (JSON.parse(read('k6-summary.json')) as { cachecast: CachecastK6Figures }).cachecast,
    requests: rows.filter((r): r is RequestRow => r.kind === 'request'),
    script: read('k6-script.js'),
  };
};
