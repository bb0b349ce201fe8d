import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString } from '../../../core/model/hash.ts';
import { hashText, hashTextPair } from '../../../core/wire/text-hash.ts';

// Texts on both sides of the copy threshold (8,192), any code units: Latin-1, astral, lone surrogates.
const unit = fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xffff }));
const text = fc.tuple(fc.array(unit, { maxLength: 600 }), fc.constantFrom('', 'x'.repeat(8_200), 'Ω'.repeat(9_000))).map(([units, pad]) => pad + String.fromCharCode(...units));

describe('text hash', () => {
  it('is hashString, for any text', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(hashText(t)).toBe(hashString(t));
      }),
      { numRuns: 500, seed: 15 },
    );
  });

  it('grows its buffer for a text longer than 64 k characters, and stays exact after', () => {
    const long = `${'a😀'.repeat(50_000)}\ud800`;
    expect(hashText(long)).toBe(hashString(long));
    expect(hashText(`${long}!`)).toBe(hashString(`${long}!`));
    expect(hashText('short text')).toBe(hashString('short text'));
  });

  it('hashes a pair of texts to hashString of each, whatever their lengths and code units', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(hashTextPair(a, b)).toEqual([hashString(a), hashString(b)]);
      }),
      { numRuns: 300, seed: 15 },
    );
    const long = `${'a😀'.repeat(50_000)}\ud800`;
    expect(hashTextPair(long, 'é'.repeat(9_000))).toEqual([hashString(long), hashString('é'.repeat(9_000))]);
    expect(hashTextPair('y'.repeat(20_000), long)).toEqual([hashString('y'.repeat(20_000)), hashString(long)]);
    // The buffers it reuses leave the next single hash exact.
    expect(hashText(`${long}!`)).toBe(hashString(`${long}!`));
  });
});
