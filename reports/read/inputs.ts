// Report inputs: a ledger file or a run directory (ledger.ndjson, and summary.json when present).
// Rows are streamed line by line, so a ledger of millions of rows never sits in memory.

import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
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

const STRING_FIELDS = ['scenario', 'variant'] as const;
const REQUEST_STRINGS = ['tenant', 'session', 'class', 'model', 'affinity'] as const;
const EVENT_STRINGS = ['source', 'name', 'label'] as const;

/** The row a line holds, or a CachecastError naming the line and what is wrong with it. */
const parseRow = (path: string, lineNumber: number, line: string): LedgerRow => {
  let row: LedgerRow;
  try {
    row = JSON.parse(line) as LedgerRow;
  } catch {
    throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${lineNumber}: not a JSON line`);
  }
  if (typeof row !== 'object' || row === null || (row.kind !== 'request' && row.kind !== 'event') || typeof row.atMs !== 'number') {
    throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${lineNumber}: not a ledger row (needs "kind" and a numeric "atMs")`);
  }
  const strings = [...STRING_FIELDS, ...(row.kind === 'request' ? REQUEST_STRINGS : EVENT_STRINGS)];
  const notString = strings.find((field) => typeof (row as unknown as Record<string, unknown>)[field] !== 'string');
  if (notString !== undefined) throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${lineNumber}: "${notString}" must be a string`);
  if (row.kind === 'request') {
    const missing = NUMERIC_FIELDS.find((field) => typeof row[field] !== 'number' || !Number.isFinite(row[field]));
    if (missing !== undefined) throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${lineNumber}: "${missing}" must be a number`);
  }
  return row;
};

/** Whether the file's last byte is a newline (a writer killed mid-row leaves none). */
const endsWithNewline = (path: string): boolean => {
  const size = statSync(path).size;
  if (size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
};

const isJson = (line: string): boolean => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

export interface ReadLedgerOptions {
  /** Told when a torn last line was ignored (a writer killed mid-row, e.g. by kill -9). */
  onTornLastLine?: (message: string) => void;
}

/**
 * Calls `onRow` for every row in file order; a malformed line fails naming file and line. A torn
 * last line (no newline after it, not JSON) is what a writer killed mid-row leaves: it is skipped
 * and reported through `onTornLastLine`, so one lost row does not make the whole ledger unreadable
 * (issue 16, item 10). A malformed line anywhere else stays an error.
 */
export const readLedger = async (path: string, onRow: (row: LedgerRow) => void, options: ReadLedgerOptions = {}): Promise<number> => {
  const complete = endsWithNewline(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let rows = 0;
  // Each line is handled once the next one is read, so the last one is known to be the last.
  let pending: { line: string; lineNumber: number } | undefined;
  const handle = (held: { line: string; lineNumber: number }): void => {
    onRow(parseRow(path, held.lineNumber, held.line));
    rows++;
  };
  try {
    for await (const line of lines) {
      lineNumber++;
      if (pending !== undefined) handle(pending);
      pending = line.trim() === '' ? undefined : { line, lineNumber };
    }
  } catch (error) {
    // A line longer than a string can hold (V8: ~512 MB) fails inside readline.
    if (error instanceof RangeError) {
      throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${lineNumber + 1}: a line too long to read (a ledger row is under 1 kB; this is not a ledger)`);
    }
    throw error;
  }
  if (pending !== undefined) {
    if (!complete && !isJson(pending.line)) {
      options.onTornLastLine?.(`${path}:${pending.lineNumber}: ignored a torn last line (${pending.line.length} characters, no newline): the writer stopped mid-row`);
    } else handle(pending);
  }
  return rows;
};
