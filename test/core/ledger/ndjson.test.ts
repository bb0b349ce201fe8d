import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toNdjsonLine } from '../../../core/ledger/ndjson.ts';
import { AFFINITY, type RequestRow } from '../../../core/ledger/row.ts';
import { toRequestRow } from '../../../core/ledger/to-row.ts';

const text = fc.string({ unit: 'binary', maxLength: 12 });
// Any value a row can hold: epoch milliseconds, token counts, dollars (not 1e308).
const number = fc.oneof(fc.integer(), fc.double({ min: -1e15, max: 1e15, noNaN: true }));

describe('ledger lines', () => {
  it('writes request rows byte-identical to JSON.stringify, whatever the strings and numbers', () => {
    fc.assert(
      fc.property(
        fc.record({ s: fc.tuple(text, text, text, text, text, text), n: fc.array(number, { minLength: 14, maxLength: 14 }), a: fc.constantFrom(...AFFINITY) }),
        ({ s, n, a }) => {
          const row: RequestRow = {
            ...toRequestRow(
              { scenario: s[0], variant: s[1], tenant: s[2], session: s[3], class: s[4], attempt: n[13] },
              {
                status: n[2],
                model: s[5],
                node: n[1],
                affinity: a,
                usage: { inputTokens: n[3], cacheReadTokens: n[4], cacheWriteTokens: n[5], cacheWrite1hTokens: n[6], outputTokens: n[7] },
                costUsd: n[8],
                ttftMs: n[9],
                latencyMs: n[10],
                retryAfterMs: n[11],
                writeKey: 0,
              },
              n[0],
            ),
          };
          expect(toNdjsonLine(row)).toBe(`${JSON.stringify(row)}\n`);
        },
      ),
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
        const base: RequestRow = toRequestRow(
          { scenario: 's', variant: 'v', tenant: 't', session: '', class: 'c', attempt: 0 },
          { status: 200, model: 'm', node: 0, affinity: 'home', usage: { inputTokens: 1, cacheReadTokens: 2, cacheWriteTokens: 3, cacheWrite1hTokens: 0, outputTokens: 4 }, costUsd: cost, ttftMs: latency / 3, latencyMs: latency, retryAfterMs: 0, writeKey: 0 },
          at,
        );
        for (const row of [base, { ...base, atMs: micro(at), costUsd: usd(cost / 7), ttftMs: x, latencyMs: y, retryAfterMs: micro(latency) }, { ...base, atMs: x, costUsd: y }]) {
          expect(toNdjsonLine(row)).toBe(`${JSON.stringify(row)}\n`);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});
