// Streams ledger rows to an NDJSON file without holding them: rows are encoded into chunks and
// written with back-pressure, so memory stays flat however long the run.

import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { encodeRequestRow, maxRowBytes } from './encode-row.ts';
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
/** Written chunks kept for reuse: as many as the stream's buffer holds. */
const SPARE_CHUNKS = 16;

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
  // Lines are encoded straight into a chunk buffer: request rows byte by byte (encode-row.ts),
  // other rows as their string. A chunk the file has written is used again, so a long run does
  // not fault in a fresh megabyte of memory for every megabyte of ledger.
  let chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let count = 0;
  let failure: Error | undefined;
  out.on('error', (error) => {
    failure = error;
  });
  const spare: Buffer[] = [];
  const handOver = (): void => {
    if (used === 0) return;
    const full = chunk;
    out.write(full.subarray(0, used), () => {
      if (spare.length < SPARE_CHUNKS) spare.push(full);
    });
    chunk = spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
  };
  const writeLine = (line: string): void => {
    // A UTF-8 byte count is at most 3 per UTF-16 unit: hand the chunk over first when the line might not fit.
    if (used + line.length * 3 > CHUNK_BYTES) handOver();
    if (line.length * 3 > CHUNK_BYTES) out.write(line);
    else used += chunk.write(line, used, 'utf8');
  };
  return {
    write: (row) => {
      count++;
      if (row.kind !== 'request') return writeLine(toNdjsonLine(row));
      const bytes = maxRowBytes(row);
      if (used + bytes > CHUNK_BYTES) handOver();
      if (bytes > CHUNK_BYTES) writeLine(toNdjsonLine(row));
      else used = encodeRequestRow(chunk, used, row);
    },
    drain: async () => {
      if (failure) throw failure;
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    close: async () => {
      handOver();
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (failure) throw failure;
    },
    flush: handOver,
    rows: () => count,
  };
};
