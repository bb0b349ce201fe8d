// Hash and token count of a block's text, remembered for long texts. A cache rehearsal sends the
// same system prompts and documents over and over; hashing 32 kB of text costs ~60 µs and exact
// tokenizing milliseconds, while finding an identical string in a Map costs a memcmp of it (V8
// hashes long strings by length). Bounded by entries and by characters.
//
// Eviction is second-chance (CLOCK), not strict LRU: a hit only sets a flag. Moving the entry to
// the back of the Map, as LRU needs, costs two more comparisons of the whole text per hit, half of
// the lookup's time; the flag gives recently used texts the same protection when space runs out.

import { hashString, prefixHasher, type PrefixHash } from '../model/hash.ts';
import type { CountTokens } from './tokens.ts';

export interface TextFacts {
  hash: number;
  tokens: number;
  /** The text's prefix hasher, made on first use (`prefixHashOf`) and kept with a remembered text. */
  prefix?: PrefixHash;
}

/**
 * Hashes of the text's prefixes (`hashString(text.slice(0, n))`), for matching inside it: made once
 * per remembered text, so the prefixes one request hashed are free to the next that repeats it.
 */
export const prefixHashOf = (text: string, facts: TextFacts): PrefixHash => (facts.prefix ??= prefixHasher(text));

export type DescribeText = (text: string) => TextFacts;

export interface TextMemoLimits {
  /** Shorter texts are cheaper to hash than to remember. */
  minChars: number;
  maxEntries: number;
  maxChars: number;
}

export const TEXT_MEMO_LIMITS: TextMemoLimits = { minChars: 1_024, maxEntries: 1_024, maxChars: 64 * 1024 * 1024 };

interface Entry extends TextFacts {
  used: boolean;
}

export const createTextMemo = (count: CountTokens, limits: TextMemoLimits = TEXT_MEMO_LIMITS): DescribeText => {
  const memo = new Map<string, Entry>();
  let chars = 0;
  const overfull = (): boolean => memo.size > limits.maxEntries || chars > limits.maxChars;
  const evict = (): void => {
    // Re-inserted entries are met again later in the same loop with their flag cleared, so one
    // call ends within two rounds of the Map, no longer overfull.
    for (const [text, entry] of memo) {
      if (!overfull()) return;
      memo.delete(text);
      if (entry.used) {
        entry.used = false;
        memo.set(text, entry);
      } else chars -= text.length;
    }
  };
  return (text) => {
    if (text.length < limits.minChars) return { hash: hashString(text), tokens: count(text) };
    const known = memo.get(text);
    if (known !== undefined) {
      known.used = true;
      return known;
    }
    const entry: Entry = { hash: hashString(text), tokens: count(text), used: false };
    if (text.length > limits.maxChars) return entry;
    memo.set(text, entry);
    chars += text.length;
    evict();
    return entry;
  };
};
