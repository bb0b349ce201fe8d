// Streams ledger rows to an NDJSON file without holding them: rows are joined into chunks and
// written with back-pressure, so memory stays flat however long the run.

import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { toNdjsonLine } from './ndjson.ts';
import type { LedgerRow } from './row.ts';

export interface LedgerWriter {
  write: (row: LedgerRow) => void;
  /** Hands the rows written so far to the file (a live server does this on a timer, so the file keeps up). */
  flush: () => void;
  /** Resolves when the current chunk may be written without growing the buffer further. */
  drain: () => Promise<void>;
  close: () => Promise<void>;
  rows: () => number;
}

const CHUNK_BYTES = 1 << 20;
const LINES_PER_ENCODE = 64;

/** The ledger file cannot be created: a directory, a missing directory, no permission. */
export class LedgerOpenError extends Error {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, cause: NodeJS.ErrnoException) {
    const reason = cause.code === 'EISDIR' ? 'it is a directory' : cause.code === 'ENOENT' ? 'its directory does not exist' : (cause.code ?? cause.message);
    super(`cannot write the ledger ${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

export const openLedger = (path: string): LedgerWriter => {
  // Opened now, synchronously, so a path that cannot be written fails here, before a server
  // listens or a run starts; a stream opened lazily reported it only at close (issue 16, item 6).
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new LedgerOpenError(path, error as NodeJS.ErrnoException);
  }
  // A 16 MB buffer lets the disk write while the simulation computes the next slice; waiting for
  // every byte after each slice left the two taking turns. Memory stays bounded by it.
  const out: WriteStream = createWriteStream(path, { fd, encoding: 'utf8', highWaterMark: 16 * 2 ** 20 });
  // Lines are encoded straight into a chunk buffer: no rope of thousands of strings to flatten
  // and re-encode at every flush.
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let count = 0;
  let failure: Error | undefined;
  out.on('error', (error) => {
    failure = error;
  });
  // Lines wait in a short string of up to LINES_PER_ENCODE before they are encoded: one
  // Buffer.write per line cost more than building the line (its argument checks and the call
  // into C++), one per batch spreads that over the batch.
  let pending = '';
  let pendingLines = 0;
  const encodePending = (): void => {
    if (pendingLines === 0) return;
    // A UTF-8 byte count is at most 3 per UTF-16 unit: hand the chunk over first when the batch might not fit.
    if (used + pending.length * 3 > CHUNK_BYTES) handOver();
    if (pending.length * 3 > CHUNK_BYTES) out.write(pending);
    else used += chunk.write(pending, used, 'utf8');
    pending = '';
    pendingLines = 0;
  };
  const handOver = (): void => {
    if (used === 0) return;
    out.write(chunk.subarray(0, used));
    chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
  };
  const flush = (): void => {
    encodePending();
    handOver();
  };
  return {
    write: (row) => {
      pending += toNdjsonLine(row);
      if (++pendingLines === LINES_PER_ENCODE) encodePending();
      count++;
    },
    drain: async () => {
      if (failure) throw failure;
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    close: async () => {
      flush();
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (failure) throw failure;
    },
    flush,
    rows: () => count,
  };
};
