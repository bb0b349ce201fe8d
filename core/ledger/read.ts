// Reading a ledger back: every consumer (reports, live summaries, `ledger merge`) streams rows
// through here, so a malformed line is named the same way everywhere and a torn last line (a
// writer killed mid-row) is tolerated the same way everywhere.

import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { CachecastError } from '../errors.ts';
import type { LedgerRow, RequestRow } from './row.ts';

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

/**
 * A ledger row is under 1 kB; a line of more than this is not a ledger. Without the bound, readline
 * buffers a line until V8 cannot hold it as a string (~512 MB) and only then fails, after using
 * gigabytes (issue 16, item 11: a 2 GB line).
 */
export const MAX_LEDGER_LINE_BYTES = 1 << 20;

class LineTooLong extends Error {
  constructor(readonly lineNumber: number) {
    super(`line ${lineNumber} too long`);
  }
}

/** Passes bytes through, failing as soon as a line runs past `maxBytes` without a newline. */
const boundLines = (maxBytes: number): Transform => {
  let run = 0;
  let newlines = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let start = 0;
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, start)) {
        if (run + at - start > maxBytes) return done(new LineTooLong(newlines + 1));
        newlines++;
        run = 0;
        start = at + 1;
      }
      run += chunk.length - start;
      if (run > maxBytes) done(new LineTooLong(newlines + 1));
      else done(null, chunk);
    },
  });
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
  /** Longest line accepted, in bytes (tests lower it). */
  maxLineBytes?: number;
}

/**
 * Every row of a ledger file in file order, streamed; a malformed line fails naming file and line. A torn
 * last line (no newline after it, not JSON) is what a writer killed mid-row leaves: it is skipped
 * and reported through `onTornLastLine`, so one lost row does not make the whole ledger unreadable
 * (issue 16, item 10). A malformed line anywhere else stays an error.
 */
export async function* ledgerRows(path: string, options: ReadLedgerOptions = {}): AsyncGenerator<LedgerRow> {
  const complete = endsWithNewline(path);
  const bytes = createReadStream(path);
  const bounded = bytes.pipe(boundLines(options.maxLineBytes ?? MAX_LEDGER_LINE_BYTES));
  bytes.on('error', (error) => bounded.destroy(error));
  bounded.setEncoding('utf8');
  const lines = createInterface({ input: bounded, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  // Each line is handled once the next one is read, so the last one is known to be the last.
  let pending: { line: string; lineNumber: number } | undefined;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (pending !== undefined) yield parseRow(path, pending.lineNumber, pending.line);
      pending = line.trim() === '' ? undefined : { line, lineNumber };
    }
  } catch (error) {
    if (error instanceof LineTooLong) {
      const limit = options.maxLineBytes ?? MAX_LEDGER_LINE_BYTES;
      throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${path}:${error.lineNumber}: a line of more than ${limit.toLocaleString('en-US')} bytes (a ledger row is under 1 kB; this is not a ledger)`);
    }
    throw error;
  } finally {
    lines.close();
    bytes.destroy();
  }
  if (pending !== undefined) {
    if (!complete && !isJson(pending.line)) {
      options.onTornLastLine?.(`${path}:${pending.lineNumber}: ignored a torn last line (${pending.line.length} characters, no newline): the writer stopped mid-row`);
    } else yield parseRow(path, pending.lineNumber, pending.line);
  }
}

/** Calls `onRow` for every row of `ledgerRows`; returns how many there were. */
export const readLedger = async (path: string, onRow: (row: LedgerRow) => void, options: ReadLedgerOptions = {}): Promise<number> => {
  let rows = 0;
  for await (const row of ledgerRows(path, options)) {
    onRow(row);
    rows++;
  }
  return rows;
};
