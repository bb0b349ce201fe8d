// A request row from six strings and fourteen numbers, for the property tests that check the two
// row encoders (ndjson.ts's line printer and encode-row.ts's byte encoder) against JSON.stringify.
import fc from 'fast-check';
import { AFFINITY, type RequestRow } from '../../../core/ledger/row.ts';
import { toRequestRow } from '../../../core/ledger/to-row.ts';

export const rowOf = (s: readonly string[], n: readonly number[], affinity: RequestRow['affinity']): RequestRow =>
  toRequestRow(
    { scenario: s[0], variant: s[1], tenant: s[2], session: s[3], class: s[4], attempt: n[13] },
    {
      status: n[2],
      model: s[5],
      node: n[1],
      affinity,
      usage: { inputTokens: n[3], cacheReadTokens: n[4], cacheWriteTokens: n[5], cacheWrite1hTokens: n[6], outputTokens: n[7] },
      costUsd: n[8],
      ttftMs: n[9],
      latencyMs: n[10],
      retryAfterMs: n[11],
      writeKey: 0,
    },
    n[0],
  );

/** Any request row, from the given string and number arbitraries. */
export const anyRow = (text: fc.Arbitrary<string>, number: fc.Arbitrary<number>): fc.Arbitrary<RequestRow> =>
  fc
    .tuple(fc.array(text, { minLength: 6, maxLength: 6 }), fc.array(number, { minLength: 14, maxLength: 14 }), fc.constantFrom(...AFFINITY))
    .map(([s, n, a]) => rowOf(s, n, a));
