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
});
