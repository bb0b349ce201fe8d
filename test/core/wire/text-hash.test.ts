import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString } from '../../../core/model/hash.ts';
import { hashText } from '../../../core/wire/text-hash.ts';

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
});
