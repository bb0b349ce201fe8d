// Streams ledger rows to an NDJSON file without holding them: rows are encoded into chunks and
// written with back-pressure, so memory stays flat however long the run. A batch run (the
// simulator) writes each chunk as it fills, blocking; a server hands chunks to a write stream.

import { closeSync, createWriteStream, openSync, writeSync, type WriteStream } from 'node:fs';
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
/** A blocking writer's one chunk: small enough to stay in the CPU's caches between writes. */
const BLOCKING_CHUNK_BYTES = 1 << 18;

export interface LedgerOptions {
  /**
   * Write each chunk as it fills, with a blocking write, into one chunk used again at once: for a
   * process that does nothing else meanwhile (`cachecast run`, the benchmarks). On the reference
   * workload it took a fifth of the system time of a write stream (0.2–0.3 s against 1.1–1.3 s
   * per million rows; the stream's chunks, 16 MB of them in flight, came back to the CPU cold),
   * and ~20 % less wall time. A server keeps the default, which never blocks its event loop.
   */
  blocking?: boolean;
}

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

export const openLedger = (path: string, options: LedgerOptions = {}): LedgerWriter => {
  // Opened now, synchronously, so a path that cannot be written fails here, before a server
  // listens or a run starts; a stream opened lazily reported it only at close (issue 16, item 6).
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new LedgerOpenError(path, error as NodeJS.ErrnoException);
  }
  if (options.blocking === true) return blockingLedger(fd);
  // A 16 MB buffer lets the disk write while the simulation computes the next slice; waiting for
  // every byte after each slice left the two taking turns. Memory stays bounded by it.
  const out: WriteStream = createWriteStream(path, { fd, encoding: 'utf8', highWaterMark: 16 * 2 ** 20 });
  // A chunk the file has written is used again, so a long run does not fault in a fresh
  // megabyte of memory for every megabyte of ledger.
  let failure: Error | undefined;
  out.on('error', (error) => {
    failure = error;
  });
  const spare: Buffer[] = [];
  const chunks = chunkWriter(CHUNK_BYTES, (full, used) => {
    out.write(full.subarray(0, used), () => {
      if (spare.length < SPARE_CHUNKS) spare.push(full);
    });
    return spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  }, (line) => out.write(line));
  return {
    write: chunks.write,
    drain: async () => {
      if (failure) throw failure;
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    close: async () => {
      chunks.handOver();
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (failure) throw failure;
    },
    flush: chunks.handOver,
    rows: chunks.rows,
  };
};

/** Writes `used` bytes of a full chunk and returns the chunk to fill next. */
type HandOver = (full: Buffer, used: number) => Buffer;

interface ChunkWriter {
  write: (row: LedgerRow) => void;
  handOver: () => void;
  rows: () => number;
}

/**
 * Rows encoded straight into a chunk: request rows byte by byte (encode-row.ts), other rows as
 * their string; a full chunk goes to `handOver`, a line longer than a chunk to `writeLong`.
 */
const chunkWriter = (chunkBytes: number, handOverChunk: HandOver, writeLong: (line: string) => void): ChunkWriter => {
  let chunk: Buffer = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  let count = 0;
  const handOver = (): void => {
    if (used === 0) return;
    chunk = handOverChunk(chunk, used);
    used = 0;
  };
  const writeLine = (line: string): void => {
    // A UTF-8 byte count is at most 3 per UTF-16 unit: hand the chunk over first when the line might not fit.
    if (used + line.length * 3 > chunkBytes) handOver();
    if (line.length * 3 > chunkBytes) writeLong(line);
    else used += chunk.write(line, used, 'utf8');
  };
  return {
    write: (row) => {
      count++;
      if (row.kind !== 'request') return writeLine(toNdjsonLine(row));
      const bytes = maxRowBytes(row);
      if (used + bytes > chunkBytes) handOver();
      if (bytes > chunkBytes) writeLine(toNdjsonLine(row));
      else used = encodeRequestRow(chunk, used, row);
    },
    handOver,
    rows: () => count,
  };
};

/** A ledger written with blocking writes (LedgerOptions.blocking); a failed write is reported at the next drain or close. */
const blockingLedger = (fd: number): LedgerWriter => {
  let failure: Error | undefined;
  const writeAll = (bytes: Uint8Array): void => {
    if (failure !== undefined) return;
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      failure = error as Error;
    }
  };
  const chunks = chunkWriter(
    BLOCKING_CHUNK_BYTES,
    (full, used) => {
      writeAll(full.subarray(0, used));
      return full;
    },
    (line) => writeAll(Buffer.from(line, 'utf8')),
  );
  let closed = false;
  return {
    write: chunks.write,
    drain: async () => {
      if (failure) throw failure;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      chunks.handOver();
      closeSync(fd);
      if (failure) throw failure;
    },
    flush: chunks.handOver,
    rows: chunks.rows,
  };
};
