import { describe, expect, it } from 'vitest';
import { hashString } from '../../../core/model/hash.ts';
import { createTextMemo, type TextMemoLimits } from '../../../core/wire/text-memo.ts';

/** A memo over a counter that records which texts it had to count (a miss). */
const memoWithLog = (limits: TextMemoLimits) => {
  const counted: string[] = [];
  const describe = createTextMemo((text) => {
    counted.push(text);
    return text.length;
  }, limits);
  return { describe, counted };
};

describe('text memo', () => {
  it('counts a long text once and answers repeats from memory, with the same hash', () => {
    const { describe: facts, counted } = memoWithLog({ minChars: 4, maxEntries: 8, maxChars: 1_000 });
    const text = 'a long system prompt';
    for (let i = 0; i < 5; i++) expect(facts(`${text}`)).toMatchObject({ hash: hashString(text), tokens: text.length });
    expect(counted).toEqual([text]);
  });

  it('does not remember texts shorter than minChars', () => {
    const { describe: facts, counted } = memoWithLog({ minChars: 4, maxEntries: 8, maxChars: 1_000 });
    facts('abc');
    facts('abc');
    expect(counted).toEqual(['abc', 'abc']);
  });

  it('gives a text used since it was stored a second chance when full', () => {
    const { describe: facts, counted } = memoWithLog({ minChars: 1, maxEntries: 2, maxChars: 1_000 });
    facts('AAAA');
    facts('BBBB');
    facts('AAAA'); // hit: A is spared at the next eviction
    facts('CCCC'); // full: B (unused) goes, not A (older, but used)
    counted.length = 0;
    facts('AAAA');
    facts('CCCC');
    expect(counted).toEqual([]);
    facts('BBBB');
    expect(counted).toEqual(['BBBB']);
  });

  it('keeps the characters held under maxChars', () => {
    const { describe: facts, counted } = memoWithLog({ minChars: 1, maxEntries: 100, maxChars: 10 });
    for (const text of ['1111', '2222', '3333']) facts(text); // 12 characters: the oldest goes
    counted.length = 0;
    facts('2222');
    facts('3333');
    expect(counted).toEqual([]);
    facts('1111');
    expect(counted).toEqual(['1111']);
  });

  it('never stores a text longer than maxChars', () => {
    const { describe: facts, counted } = memoWithLog({ minChars: 1, maxEntries: 100, maxChars: 10 });
    facts('x'.repeat(11));
    facts('x'.repeat(11));
    expect(counted).toHaveLength(2);
  });

  it('with admitOnRepeat, holds a long text only from its second sighting, and still counts it once', () => {
    const { describe: facts, counted } = memoWithLog({ minChars: 4, maxEntries: 2, maxChars: 1_000, admitOnRepeat: true });
    for (const text of ['unique-1', 'unique-2', 'unique-3']) facts(text); // seen once each: counted, not held
    expect(counted).toEqual(['unique-1', 'unique-2', 'unique-3']);
    counted.length = 0;
    const repeated = 'the same system prompt';
    for (let i = 0; i < 4; i++) expect(facts(`${repeated}`)).toMatchObject({ hash: hashString(repeated), tokens: repeated.length });
    expect(counted).toEqual([repeated]);
    // Second sightings: admitted with the count from the first. The repeated text, used since it
    // was stored, keeps its place in the full 2-entry memo; unique-1 makes way for unique-2.
    facts('unique-1');
    facts('unique-2');
    facts(repeated);
    expect(counted).toEqual([repeated]);
    facts('unique-1'); // out of the memo and no longer in the seen-once table: counted again
    expect(counted).toEqual([repeated, 'unique-1']);
  });

  it('describes primed texts as it describes any: the same hash and tokens, remembered the same way', () => {
    const texts = ['x'.repeat(9_000), `${'é'.repeat(8_500)}\ud83d`, 'x'.repeat(9_000), 'short', 'q'.repeat(20_000)];
    const plain = memoWithLog({ minChars: 1_024, maxEntries: 8, maxChars: 1_000_000, admitOnRepeat: true });
    const primed = memoWithLog({ minChars: 1_024, maxEntries: 8, maxChars: 1_000_000, admitOnRepeat: true });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < texts.length; i += 2) {
        const pair = texts.slice(i, i + 2);
        primed.describe.prime?.(pair);
        for (const t of pair) expect(primed.describe(t)).toEqual(plain.describe(t));
      }
    }
    expect(primed.counted).toEqual(plain.counted);
    // A text primed but described after the next prime is hashed as usual.
    primed.describe.prime?.(['z'.repeat(9_000), 'w'.repeat(9_000)]);
    primed.describe.prime?.(['v'.repeat(9_000), 'u'.repeat(9_000)]);
    expect(primed.describe('z'.repeat(9_000)).hash).toBe(hashString('z'.repeat(9_000)));
  });
});

