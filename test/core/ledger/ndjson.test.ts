import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toNdjsonLine } from '../../../core/ledger/ndjson.ts';
import { anyRow, rowOf } from './row-arbitrary.ts';

const text = fc.string({ unit: 'binary', maxLength: 12 });
// Any value a row can hold: epoch milliseconds, token counts, dollars (not 1e308).
const number = fc.oneof(fc.integer(), fc.double({ min: -1e15, max: 1e15, noNaN: true }));

describe('ledger lines', () => {
  it('writes request rows byte-identical to JSON.stringify, whatever the strings and numbers', () => {
    fc.assert(
      fc.property(anyRow(text, number), (row) => {
        expect(toNdjsonLine(row)).toBe(`${JSON.stringify(row)}\n`);
      }),
      { numRuns: 500 },
    );
  });

  it('prints times and costs as JSON.stringify does, rounded as rows round them or not', () => {
    // Epoch milliseconds of this century and latencies to the µs, costs to 10^-10 USD, and any
    // double at all in the same fields: the digit printer must agree or hand over to the engine.
    const epochMs = fc.double({ min: 1.6e12, max: 4.2e12, noNaN: true });
    const micro = (v: number): number => Math.round(v * 1_000) / 1_000;
    const usd = (v: number): number => Math.round(v * 1e10) / 1e10;
    const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(epochMs, fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 5e5, noNaN: true }), anyDouble, anyDouble, (at, latency, cost, x, y) => {
        const base = rowOf(['s', 'v', 't', '', 'c', 'm'], [at, 0, 200, 1, 2, 3, 0, 4, cost, latency / 3, latency, 0, 0, 0], 'home');
        for (const row of [base, { ...base, atMs: micro(at), costUsd: usd(cost / 7), ttftMs: x, latencyMs: y, retryAfterMs: micro(latency) }, { ...base, atMs: x, costUsd: y }]) {
          expect(toNdjsonLine(row)).toBe(`${JSON.stringify(row)}\n`);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});
