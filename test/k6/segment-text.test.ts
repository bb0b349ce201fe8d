import { describe, expect, it } from 'vitest';
import { CHARS_PER_TOKEN, segmentText } from '../../k6/bundle/segment-text.ts';
import { segment } from '../../scenarios/kit/prompt.ts';

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
});
