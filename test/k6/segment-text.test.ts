import { describe, expect, it } from 'vitest';
import { CHARS_PER_TOKEN, segmentText } from '../../k6/bundle/segment-text.ts';
import { segment } from '../../scenarios/kit/prompt.ts';
import { stringifyWithSegmentTexts } from '../../k6/bundle/wire/json.ts';

describe('segment text', () => {
  it('is exactly 4 characters a token for every hash, however its halves combine', () => {
    // Hashes whose two 32-bit halves XOR to a negative int32 once broke the filler offset.
    const hashes = [0, 1, 0xffffffff, 0x80000000, 3526202060013320, 2 ** 53 - 1, ...Array.from({ length: 50 }, (_, i) => segment(`s:${i}`, 10).hash)];
    for (const hash of hashes) {
      for (const tokens of [0, 1, 3, 4, 1_024, 12_000, 50_000]) expect(segmentText(hash, tokens)).toHaveLength(tokens * CHARS_PER_TOKEN);
    }
  });

  it('is a pure function of (hash, tokens), and two hashes differ from their first characters', () => {
    const a = segment('system-prompt:v7', 14_000).hash;
    const b = segment('system-prompt:v8', 14_000).hash;
    expect(segmentText(a, 14_000)).toBe(segmentText(a, 14_000));
    expect(segmentText(a, 14_000).slice(0, 12)).not.toBe(segmentText(b, 14_000).slice(0, 12));
    expect(segmentText(a, 14_000).startsWith(`[${a.toString(36)}]`)).toBe(true);
  });

  it('needs no JSON escaping, so the codecs splice it into bodies unescaped (wire/json.ts)', () => {
    for (const hash of [0, -1, 2 ** 53 - 1, ...Array.from({ length: 50 }, (_, i) => segment(`s:${i}`, 10).hash)]) {
      const text = segmentText(hash, 3_000);
      expect(text).toMatch(/^[a-z0-9 [\]-]*$/);
      expect(JSON.stringify(text)).toBe(`"${text}"`);
    }
  });

  it('spliced into a body, gives exactly JSON.stringify of the body', () => {
    const texts = [segmentText(1, 12_000), segmentText(2, 50), ''];
    const body = (model: string) => (slot: (t: string) => string) => ({ model, messages: texts.map((t) => ({ role: 'user', content: slot(t) })), n: 3 });
    expect(stringifyWithSegmentTexts(body('claude "quoted" \\'))).toBe(JSON.stringify(body('claude "quoted" \\')((t) => t)));
    // A NUL elsewhere in the body cannot be told from a slot's marker: escaped as usual then.
    expect(stringifyWithSegmentTexts(body('m\u0000cc0\u0000'))).toBe(JSON.stringify(body('m\u0000cc0\u0000')((t) => t)));
  });
});
