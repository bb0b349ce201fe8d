// The lines of a trace or request log, streamed: the file is read in 1 MiB chunks into one reused
// buffer, cut at newline bytes (Buffer#indexOf, a native memchr) and each line decoded on its own.
// node:readline did the same job with a regular expression over decoded chunks and a string
// concatenation per line, ~10 % of `cachecast doctor`'s time on a log of 32 kB lines; a line's
// bytes here are decoded once, straight into the string the parser reads.
//
// Line breaks are readline's (crlfDelay: Infinity): `\n`, `\r\n` and a lone `\r` each end a line,
// so line numbers in error messages are what they were. A newline byte never occurs inside a UTF-8
// multi-byte sequence, so decoding line by line gives the characters decoding the whole file would.

import { type FileHandle, open, stat } from 'node:fs/promises';
import { CachecastError } from '../../core/errors.ts';

const CHUNK_BYTES = 1 << 20;
const LF = 0x0a;
const CR = 0x0d;

export interface Line {
  /** 1-based, counting blank lines. */
  lineNumber: number;
  text: string;
}

/** Fails with CC_ERR_TRACE_UNREADABLE when the path is not a readable file. */
export const assertReadableFile = async (file: string): Promise<void> => {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new CachecastError('CC_ERR_TRACE_UNREADABLE', `${file}: no such file (give the path of a request log or trace)`);
};

/**
 * The lines of `bytes[start, end)`, which holds no `\n` but holds a `\r`: a lone `\r` ends a line
 * (readline's third kind of break). `last` is the file's unterminated tail, after which a final
 * `\r` opens no further line. Pushes each line's [start, end) to `out`.
 */
const linesWithCr = (bytes: Buffer, start: number, end: number, last: boolean, out: number[]): void => {
  if (!last && bytes[end - 1] === CR) end--; // \r\n is one break
  let from = start;
  for (let cr = bytes.indexOf(CR, from); cr !== -1 && cr < end; cr = bytes.indexOf(CR, from)) {
    out.push(from, cr);
    from = cr + 1;
  }
  if (!last || from < end) out.push(from, end);
};

/**
 * Which lines to decode: given a line's bytes `bytes[start, end)`, false skips it (it is counted
 * for line numbers, never decoded). `cachecast doctor --jobs` gives each worker the lines of its
 * own tenants this way: telling a line's tenant from its bytes is cheaper than decoding it.
 */
export type LineFilter = (bytes: Buffer, start: number, end: number) => boolean;

/** The non-blank lines of a file with their 1-based numbers, streamed, in batches (one chunk's worth). */
export async function* readLineBatches(file: string, keep?: LineFilter): AsyncGenerator<Line[]> {
  await assertReadableFile(file);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new CachecastError('CC_ERR_TRACE_UNREADABLE', `${file}: cannot be read (${(error as Error).message})`);
  }
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let start = 0; // first byte not yet cut into lines
  let end = 0; // first byte not yet read
  let lineNumber = 0;
  const spans: number[] = []; // [start, end) of each line cut, in `buffer`
  try {
    for (;;) {
      // Room for the next read: move the unfinished line to the front, or grow for a line longer than the buffer.
      if (end === buffer.length) {
        if (start > 0) {
          buffer.copy(buffer, 0, start, end);
          end -= start;
          start = 0;
        } else {
          const bigger = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(bigger, 0, 0, end);
          buffer = bigger;
        }
      }
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, end, buffer.length - end, null));
      } catch (error) {
        throw new CachecastError('CC_ERR_TRACE_UNREADABLE', `${file}: cannot be read (${(error as Error).message})`);
      }
      const scanFrom = end;
      end += bytesRead;
      const eof = bytesRead === 0;
      // Searches stop at `end`: the bytes after it are stale.
      const filled = buffer.subarray(0, end);
      // Carriage returns are rare: one search per chunk finds whether a line needs the slow path.
      let cr = filled.indexOf(CR, start);
      let newline = filled.indexOf(LF, scanFrom);
      while (newline !== -1) {
        if (cr === -1 || cr > newline) spans.push(start, newline);
        else {
          linesWithCr(filled, start, newline, false, spans);
          cr = filled.indexOf(CR, newline + 1);
        }
        start = newline + 1;
        newline = filled.indexOf(LF, start);
      }
      if (eof && start < end) {
        if (cr === -1) spans.push(start, end);
        else linesWithCr(filled, start, end, true, spans);
        start = end;
      }
      if (spans.length > 0) {
        // Decoded before the next read moves or overwrites the bytes.
        const batch: Line[] = [];
        for (let k = 0; k < spans.length; k += 2) {
          lineNumber++;
          if (keep !== undefined && !keep(filled, spans[k], spans[k + 1])) continue;
          const text = filled.toString('utf8', spans[k], spans[k + 1]);
          if (text.trim() !== '') batch.push({ lineNumber, text });
        }
        spans.length = 0;
        // With a filter, a chunk whose lines were all refused still yields (an empty batch): the
        // caller learns the lines before the next batch are done.
        if (batch.length > 0 || keep !== undefined) yield batch;
      }
      if (eof) return;
    }
  } finally {
    await handle.close();
  }
}

/** The non-blank lines of a file with their 1-based numbers, streamed. */
export async function* readLines(file: string): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(file)) yield* batch;
}
