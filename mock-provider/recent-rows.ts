// The mock provider's last N ledger rows (GET /admin/ledger), held as columns rather than as the
// row objects. A row kept as an object outlives the young generation: with the default 100,000
// rows every request row was copied by two scavenges and promoted, then marked by every full GC
// until it left the window (retaining them cost ~2 µs a row in a loop, ~5 µs a request on the
// mock-provider bench). Request rows' numbers go into a Float64Array (a double holds every value a
// row can carry, exactly) and their strings into an array of references, mostly to strings shared
// by all rows (scenario, model, tenant); `rows()` builds the objects again, field for field in
// the ledger's column order (core/ledger/to-row.ts). Event rows are rare and kept as they are.

import type { EventRow, LedgerRow, RequestRow } from '../core/ledger/row.ts';

const NUMBERS = 13;
const STRINGS = 7;
/**
 * Columns are allocated in blocks of this many rows as the window fills, so a short session does
 * not hold 100,000 rows' room, and filling it copies nothing: growing one array by doubling cost
 * ~48 ms over the first 100,000 rows (the string column's `length` set, a copy each time), ~0.5 µs
 * a request on the mock-provider bench, whose run never fills the window.
 */
const BLOCK_SHIFT = 10;
const BLOCK = 1 << BLOCK_SHIFT;

export interface RecentRows {
  keep: (row: LedgerRow) => void;
  /** The rows kept, oldest first (new objects, equal to the rows written). */
  rows: () => LedgerRow[];
}

export const createRecentRows = (window: number): RecentRows => {
  const numberBlocks: Float64Array[] = [];
  const stringBlocks: string[][] = [];
  const eventBlocks: Array<Array<EventRow | undefined>> = [];
  /** Rows kept so far (at most `window`), and the slot the next one goes to once the window is full. */
  let size = 0;
  let head = 0;

  const store = (slot: number, row: LedgerRow): void => {
    const block = slot >> BLOCK_SHIFT;
    if (block === numberBlocks.length) {
      numberBlocks.push(new Float64Array(BLOCK * NUMBERS));
      stringBlocks.push(new Array<string>(BLOCK * STRINGS).fill(''));
      eventBlocks.push(new Array<EventRow | undefined>(BLOCK).fill(undefined));
    }
    const at = slot & (BLOCK - 1);
    if (row.kind !== 'request') {
      eventBlocks[block][at] = row;
      return;
    }
    eventBlocks[block][at] = undefined;
    const numbers = numberBlocks[block];
    const n = at * NUMBERS;
    numbers[n] = row.atMs;
    numbers[n + 1] = row.node;
    numbers[n + 2] = row.status;
    numbers[n + 3] = row.inputTokens;
    numbers[n + 4] = row.cacheReadTokens;
    numbers[n + 5] = row.cacheWriteTokens;
    numbers[n + 6] = row.cacheWrite1hTokens;
    numbers[n + 7] = row.outputTokens;
    numbers[n + 8] = row.costUsd;
    numbers[n + 9] = row.ttftMs;
    numbers[n + 10] = row.latencyMs;
    numbers[n + 11] = row.retryAfterMs;
    numbers[n + 12] = row.attempt;
    const strings = stringBlocks[block];
    const s = at * STRINGS;
    strings[s] = row.scenario;
    strings[s + 1] = row.variant;
    strings[s + 2] = row.tenant;
    strings[s + 3] = row.session;
    strings[s + 4] = row.class;
    strings[s + 5] = row.model;
    strings[s + 6] = row.affinity;
  };

  const load = (slot: number): LedgerRow => {
    const block = slot >> BLOCK_SHIFT;
    const at = slot & (BLOCK - 1);
    const event = eventBlocks[block][at];
    if (event !== undefined) return event;
    const numbers = numberBlocks[block];
    const strings = stringBlocks[block];
    const n = at * NUMBERS;
    const s = at * STRINGS;
    // toRequestRow's field order: it is the NDJSON column order.
    return {
      kind: 'request',
      atMs: numbers[n],
      scenario: strings[s],
      variant: strings[s + 1],
      tenant: strings[s + 2],
      session: strings[s + 3],
      class: strings[s + 4],
      model: strings[s + 5],
      node: numbers[n + 1],
      affinity: strings[s + 6] as RequestRow['affinity'],
      status: numbers[n + 2],
      inputTokens: numbers[n + 3],
      cacheReadTokens: numbers[n + 4],
      cacheWriteTokens: numbers[n + 5],
      cacheWrite1hTokens: numbers[n + 6],
      outputTokens: numbers[n + 7],
      costUsd: numbers[n + 8],
      ttftMs: numbers[n + 9],
      latencyMs: numbers[n + 10],
      retryAfterMs: numbers[n + 11],
      attempt: numbers[n + 12],
    };
  };

  return {
    keep: (row) => {
      if (window <= 0) return;
      if (size < window) {
        store(size++, row);
      } else {
        store(head, row);
        head = (head + 1) % window;
      }
    },
    rows: () => {
      const out: LedgerRow[] = [];
      for (let i = head; i < size; i++) out.push(load(i));
      for (let i = 0; i < head; i++) out.push(load(i));
      return out;
    },
  };
};
