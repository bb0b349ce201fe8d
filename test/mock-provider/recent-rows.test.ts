// The in-memory window of ledger rows (GET /admin/ledger), held as columns: what comes back is
// what was written, field for field and in the ledger's column order, oldest first, with event
// rows among request rows, across the columns' growth and the window's wrap-around.

import { describe, expect, it } from 'vitest';
import { eventRow, type LedgerRow, type RequestRow } from '../../core/ledger/row.ts';
import { toRequestRow } from '../../core/ledger/to-row.ts';
import { rejectedOutcome } from '../../core/model/provider.ts';
import { createRecentRows } from '../../mock-provider/recent-rows.ts';

const run = { scenario: 'recent', variant: 'cols' };

/** A row whose every number differs from its neighbours' (fractions, negatives and large values included). */
const requestRow = (i: number): RequestRow => {
  const rejected = toRequestRow({ ...run, tenant: `org-${i % 3}`, session: `s${i}`, class: i % 2 === 0 ? 'batch' : 'interactive', attempt: i % 4 }, rejectedOutcome(429, undefined), 1_767_225_600_000.123 + i);
  return { ...rejected, node: i % 5 === 0 ? -1 : i % 5, affinity: i % 2 === 0 ? 'home' : 'overflow', inputTokens: i * 7, cacheReadTokens: 8_000 + i, cacheWriteTokens: i * 3, cacheWrite1hTokens: i, outputTokens: 200 - i, costUsd: 0.0054009 + i / 1e10, ttftMs: 0.001 * i, latencyMs: 812.5 + i, retryAfterMs: i * 1_000 };
};

const rowsOf = (count: number): LedgerRow[] =>
  Array.from({ length: count }, (_, i) => (i % 97 === 50 ? eventRow(run, 1_000 + i, 'provider', 'config-change', `change ${i}`) : requestRow(i)));

/** JSON text compares keys in order, and numbers digit for digit. */
const asText = (rows: readonly LedgerRow[]): string[] => rows.map((row) => JSON.stringify(row));

describe('recent ledger rows', () => {
  it('gives back every row written while the window is not full, through the column blocks added every 1,024 rows', () => {
    const recent = createRecentRows(5_000);
    const rows = rowsOf(3_000);
    for (const row of rows) recent.keep(row);
    expect(recent.rows()).toHaveLength(3_000);
    expect(asText(recent.rows())).toEqual(asText(rows));
    expect(Object.keys(recent.rows()[0])).toEqual(Object.keys(rows[0]));
  });

  it('keeps the last rows of a full window, oldest first, after wrapping round more than once', () => {
    const recent = createRecentRows(1_500);
    const rows = rowsOf(4_321);
    for (const row of rows) recent.keep(row);
    expect(asText(recent.rows())).toEqual(asText(rows.slice(-1_500)));
    expect(recent.rows()[0]).toEqual(rows[4_321 - 1_500]);
  });

  it('keeps nothing with a window of 0', () => {
    const recent = createRecentRows(0);
    for (const row of rowsOf(10)) recent.keep(row);
    expect(recent.rows()).toEqual([]);
  });
});
