// Where the mock provider's ledger rows go: appended to an NDJSON file as they happen, kept in a
// bounded in-memory window for GET /admin/ledger, and handed to listeners (metrics, summary,
// followers of the ledger stream). It also counts requests in flight, so closing waits for the
// last row before the file is flushed and closed: a graceful shutdown loses none.

import type { LedgerRow } from '../core/ledger/row.ts';
import { openLedger, type LedgerWriter } from '../core/ledger/writer.ts';
import { createRecentRows } from './recent-rows.ts';

const FLUSH_MS = 50;

export type RowListener = (row: LedgerRow) => void;

export interface LedgerSink {
  write: (row: LedgerRow) => void;
  subscribe: (listener: RowListener) => () => void;
  /** The most recent rows, oldest first. */
  recent: () => LedgerRow[];
  /** A request started that will write exactly one row. */
  begin: () => void;
  /** Its row has been written. */
  end: () => void;
  inFlight: () => number;
  /** Waits for requests in flight, then flushes and closes the file. */
  close: () => Promise<void>;
}

export interface LedgerSinkOptions {
  path?: string;
  keepRecentRows: number;
}

export const createLedgerSink = ({ path, keepRecentRows }: LedgerSinkOptions): LedgerSink => {
  // Rows are encoded into the simulator's chunked writer, off the JS heap, and handed to the file
  // at most FLUSH_MS after they happen. A row per write() costs a thread-pool round trip each;
  // rows batched as strings outlived the young generation and were promoted and collected as old
  // garbage, doubling the mock's GC time per request.
  const out: LedgerWriter | undefined = path === undefined ? undefined : openLedger(path);
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    out?.flush();
  };
  const listeners = new Set<RowListener>();
  // A ring buffer, so a long session keeps memory flat; held as columns (recent-rows.ts).
  const recent = createRecentRows(keepRecentRows);
  let pending = 0;
  let idle: (() => void) | undefined;
  let closing: Promise<void> | undefined;

  return {
    write: (row) => {
      if (out !== undefined) {
        out.write(row);
        timer ??= setTimeout(flush, FLUSH_MS);
      }
      recent.keep(row);
      for (const listener of listeners) listener(row);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    recent: recent.rows,
    begin: () => {
      pending++;
    },
    end: () => {
      pending--;
      if (pending === 0 && idle !== undefined) idle();
    },
    inFlight: () => pending,
    close: () => {
      closing ??= (async () => {
        if (pending > 0) await new Promise<void>((resolve) => (idle = resolve));
        clearTimeout(timer);
        await out?.close();
      })();
      return closing;
    },
  };
};
