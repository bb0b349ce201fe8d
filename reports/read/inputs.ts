// Report inputs: a ledger file or a run directory (ledger.ndjson, and summary.json when present).
// Rows are streamed line by line, so a ledger of millions of rows never sits in memory.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CachecastError } from '../../core/errors.ts';
import type { RunSummary } from '../../core/ledger/run-summary.ts';

export interface ReportInput {
  /** What the user named. */
  source: string;
  ledgerPath: string;
  summary?: RunSummary;
}

export const resolveInput = (source: string): ReportInput => {
  if (!existsSync(source)) {
    throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${source}: no such file or directory (give a ledger .ndjson or a run directory)`);
  }
  const isDir = statSync(source).isDirectory();
  const ledgerPath = isDir ? join(source, 'ledger.ndjson') : source;
  if (!existsSync(ledgerPath)) {
    throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${source}: a run directory needs a ledger.ndjson`);
  }
  const summaryPath = isDir ? join(source, 'summary.json') : join(ledgerPath, '..', 'summary.json');
  let summary: RunSummary | undefined;
  if (existsSync(summaryPath) && (isDir || basename(ledgerPath) === 'ledger.ndjson')) {
    try {
      summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as RunSummary;
    } catch (error) {
      throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${summaryPath}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return { source, ledgerPath, summary };
};

export { ledgerRows, readLedger, type ReadLedgerOptions } from '../../core/ledger/read.ts';
