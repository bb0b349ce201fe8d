import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRequestRow, maxRowBytes } from '../../../core/ledger/encode-row.ts';
import type { RequestRow } from '../../../core/ledger/row.ts';
import { anyRow, rowOf } from './row-arbitrary.ts';

/** The row's line as the byte encoder writes it, at an odd offset into a dirty buffer. */
const encoded = (row: RequestRow): string => {
  const buf = Buffer.alloc(maxRowBytes(row) + 7, 0x78);
  const end = encodeRequestRow(buf, 7, row);
  expect(end - 7).toBeLessThanOrEqual(maxRowBytes(row));
  return buf.subarray(7, end).toString('utf8');
};

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 12 }), fc.constantFrom('org-7', 's-4999', 'claude-sonnet-4-5-20250929', ''));
const number = fc.oneof(fc.integer(), fc.nat(), fc.double({ min: -1e15, max: 1e15, noNaN: true }));
const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });

describe('request rows encoded as bytes', () => {
  it('are byte-identical to JSON.stringify, whatever the strings and numbers', () => {
    fc.assert(
      fc.property(anyRow(text, number), (row) => {
        expect(encoded(row)).toBe(`${JSON.stringify(row)}\n`);
      }),
      { numRuns: 2_000 },
    );
  });

  it('print times and costs as JSON.stringify does, rounded as rows round them or not', () => {
    const micro = (v: number): number => Math.round(v * 1_000) / 1_000;
    const usd = (v: number): number => Math.round(v * 1e10) / 1e10;
    fc.assert(
      fc.property(fc.double({ min: 1.6e12, max: 4.2e12, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 5e5, noNaN: true }), anyDouble, anyDouble, (at, latency, cost, x, y) => {
        const base = rowOf(['s', 'v', 't', '', 'c', 'm'], [at, 0, 200, 1, 2, 3, 0, 4, cost, latency / 3, latency, 0, 0, 0], 'home');
        for (const row of [base, { ...base, atMs: micro(at), costUsd: usd(cost / 7), ttftMs: x, latencyMs: y, retryAfterMs: micro(latency) }, { ...base, atMs: x, costUsd: y, inputTokens: Math.round(x) }]) {
          expect(encoded(row)).toBe(`${JSON.stringify(row)}\n`);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('write the reference figures exactly: whole and fractional times, a cost below a cent, an escaped tenant', () => {
    const row = rowOf(['bench', 'reference', 'ténant "q"', 's-1', 'interactive', 'claude-sonnet-4-5-20250929'], [1_767_225_600_123.457, 3, 200, 212, 20_480, 0, 0, 311, 0.0109503, 512.25, 4_100, 0, 0, 2], 'home');
    expect(encoded(row)).toBe(
      '{"kind":"request","atMs":1767225600123.457,"scenario":"bench","variant":"reference","tenant":"ténant \\"q\\"","session":"s-1","class":"interactive",' +
        '"model":"claude-sonnet-4-5-20250929","node":3,"affinity":"home","status":200,"inputTokens":212,"cacheReadTokens":20480,"cacheWriteTokens":0,' +
        '"cacheWrite1hTokens":0,"outputTokens":311,"costUsd":0.0109503,"ttftMs":512.25,"latencyMs":4100,"retryAfterMs":0,"attempt":2}\n',
    );
  });
});
