// Report inputs: a ledger file or a run directory (ledger.ndjson, and summary.json when present).
// Rows are streamed line by line, so a ledger of millions of rows never sits in memory.

import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { CachecastError } from '../../core/errors.ts';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
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

const NUMERIC_FIELDS = [
  'node',
  'status',
  'inputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'outputTokens',
  'costUsd',
  'ttftMs',
  'latencyMs',
  'retryAfterMs',
  'attempt',
] as const satisfies ReadonlyArray<keyof RequestRow>;

/** Calls `onRow` for every row in file order; a malformed line fails naming file and line. */
export const readLedger = async (path: string, onRow: (row: LedgerRow) => void): Promise<number> => {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let rows = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    let row: LedgerRow;
    try {
      row = JSON.parse(line) as LedgerRow;
    } catch {
      throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${lineNumber}: not a JSON line`);
    }
    if ((row.kind !== 'request' && row.kind !== 'event') || typeof row.atMs !== 'number') {
      throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${lineNumber}: not a ledger row (needs "kind" and a numeric "atMs")`);
    }
    if (row.kind === 'request') {
      const missing = NUMERIC_FIELDS.find((field) => typeof row[field] !== 'number' || !Number.isFinite(row[field]));
      if (missing !== undefined) throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${lineNumber}: "${missing}" must be a number`);
    }
    rows++;
    onRow(row);
  }
  return rows;
};
