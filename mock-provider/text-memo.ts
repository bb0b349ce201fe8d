// Hash and token count of a block's text, remembered for long texts. A cache rehearsal sends the
// same system prompts and documents over and over; hashing 32 kB of text costs ~60 µs and exact
// tokenizing milliseconds, while finding an identical string in a Map costs well under a
// microsecond (V8 hashes long strings by length and compares them with memcmp). Bounded by
// entries and by characters, least recently used first out.

import { hashString } from '../simulator/model/hash.ts';
import type { CountTokens } from './tokens.ts';

export interface TextFacts {
  hash: number;
  tokens: number;
}

export type DescribeText = (text: string) => TextFacts;

/** Shorter texts are cheaper to hash than to remember. */
const MIN_MEMO_CHARS = 1_024;
const MAX_ENTRIES = 1_024;
const MAX_CHARS = 64 * 1024 * 1024;

export const createTextMemo = (count: CountTokens): DescribeText => {
  const memo = new Map<string, TextFacts>();
  let chars = 0;
  return (text) => {
    if (text.length < MIN_MEMO_CHARS) return { hash: hashString(text), tokens: count(text) };
    const known = memo.get(text);
    if (known !== undefined) {
      memo.delete(text);
      memo.set(text, known);
      return known;
    }
    const facts = { hash: hashString(text), tokens: count(text) };
    if (text.length > MAX_CHARS) return facts;
    memo.set(text, facts);
    chars += text.length;
    for (const oldest of memo.keys()) {
      if (memo.size <= MAX_ENTRIES && chars <= MAX_CHARS) break;
      memo.delete(oldest);
      chars -= oldest.length;
    }
    return facts;
  };
};
