// Generated answers: exact lengths (4 characters a token, so history counts back as billed), the
// same text for the same (seed, request), prose shape, and streaming chunks that rebuild the text.

import { describe, expect, it } from 'vitest';
import { chunksOf, createTextGenerator } from '../../mock-provider/text.ts';

describe('generated answers', () => {
  const text = createTextGenerator('run-seed');

  it('is exactly 4 characters a token, from 1 token to past the 64 kB pool', () => {
    for (const tokens of [1, 2, 3, 7, 300, 20_000, 128_000]) {
      const answer = text.answer(9_001 + tokens, tokens).text;
      expect(answer).toHaveLength(tokens * 4);
      expect(answer.endsWith('.')).toBe(true);
      expect(answer.charAt(0)).toMatch(/[A-Z]/);
    }
    expect(text.answer(5, 0).text).toBe('');
  });

  it('gives the same text for the same seed and request, and other text otherwise', () => {
    expect(text.answer(42, 300).text).toBe(createTextGenerator('run-seed').answer(42, 300).text);
    expect(text.answer(43, 300).text).not.toBe(text.answer(42, 300).text);
    expect(createTextGenerator('other-seed').answer(42, 300).text).not.toBe(text.answer(42, 300).text);
    const distinct = new Set(Array.from({ length: 1_000 }, (_, i) => text.answer(i * 7_919, 50).text));
    expect(distinct.size).toBeGreaterThan(990);
  });

  it('escapes its JSON once, equal to JSON.stringify', () => {
    const answer = text.answer(7, 40);
    expect(answer.json).toBe(JSON.stringify(answer.text));
  });

  it('streams in at most 64 chunks of whole tokens that join back to the text', () => {
    for (const tokens of [1, 5, 64, 65, 300, 4_097]) {
      const answer = text.answer(tokens, tokens).text;
      const chunks = chunksOf(answer);
      expect(chunks.join('')).toBe(answer);
      expect(chunks).toHaveLength(Math.min(64, tokens));
      expect(chunks.every((c) => c.length % 4 === 0 && c.length > 0)).toBe(true);
    }
    // A forced answer cut mid-token: the last chunk holds the remainder.
    expect(chunksOf('{"a":1}').join('')).toBe('{"a":1}');
  });
});
