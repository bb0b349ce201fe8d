import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonPrefixBytes, commonPrefixLength, commonSuffixBytes, commonSuffixLength } from '../../../simulator/doctor/text-diff.ts';

/** The definition, one character at a time. */
const slowPrefix = (a: string, b: string): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};
const slowSuffix = (a: string, b: string, limit: number): number => {
  let i = 0;
  while (i < Math.min(a.length, b.length, limit) && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
};

describe('text differences', () => {
  it('finds the first difference of a timestamp inside a long text, and the shared tail after it', () => {
    const body = 'x'.repeat(30_000);
    const a = `Current time: 2026-03-02T12:00:03Z\n${body}`;
    const b = `Current time: 2026-03-02T12:00:09Z\n${body}`;
    expect(commonPrefixLength(a, b)).toBe('Current time: 2026-03-02T12:00:0'.length);
    expect(commonSuffixLength(a, b, a.length)).toBe(body.length + 2);
    expect(commonPrefixLength(a, a)).toBe(a.length);
  });

  it('agrees with the character-by-character definition on any pair of texts', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\u00e9'), maxLength: 900 });
    fc.assert(
      fc.property(text, text, text, fc.nat(1_000), (shared, x, y, limit) => {
        const a = shared + x + shared;
        const b = shared + y + shared;
        expect(commonPrefixLength(a, b)).toBe(slowPrefix(a, b));
        expect(commonSuffixLength(a, b, limit)).toBe(slowSuffix(a, b, limit));
        // The same on bytes, one a character (the texts' characters are all below 256).
        const [ba, bb] = [Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')];
        expect(commonPrefixBytes(ba, bb)).toBe(slowPrefix(a, b));
        expect(commonSuffixBytes(ba, bb, limit)).toBe(slowSuffix(a, b, limit));
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});
