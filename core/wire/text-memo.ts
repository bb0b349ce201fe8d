// Hash and token count of a block's text, remembered for long texts. A cache rehearsal sends the
// same system prompts and documents over and over; hashing 32 kB of text costs ~60 µs and exact
// tokenizing milliseconds, while finding an identical string in a Map costs a memcmp of it (V8
// hashes long strings by length). Bounded by entries and by characters.
//
// Eviction is second-chance (CLOCK), not strict LRU: a hit only sets a flag. Moving the entry to
// the back of the Map, as LRU needs, costs two more comparisons of the whole text per hit, half of
// the lookup's time; the flag gives recently used texts the same protection when space runs out.
//
// `admitOnRepeat` (for reading logs, where most long texts may be unique: a timestamp in every
// system prompt) remembers a text only the second time it is seen: the first time only its hash
// and token count are kept, in a small table keyed by the hash. Holding every unique 32 kB text
// cost doctor more than hashing it: each one was copied out of the young generation and all of
// them, having the same length, shared one chain in the Map (long strings hash by length).

import { prefixHasher, type PrefixHash } from '../model/hash.ts';
import { hashText, hashTextPair, PAIR_MIN_CHARS } from './text-hash.ts';
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

export type DescribeText = ((text: string) => TextFacts) & {
  /**
   * Hashes these texts ahead, two at a time (text-hash.ts `hashTextPair`), for the describe calls
   * that follow: a reader that has two requests' bodies in hand gives their long texts here first.
   * Texts already remembered are left out. Optional: a describer without it hashes one at a time.
   */
  prime?: (texts: readonly string[]) => void;
};

export interface TextMemoLimits {
  /** Shorter texts are cheaper to hash than to remember. */
  minChars: number;
  maxEntries: number;
  maxChars: number;
  /** Remember a text the second time it is seen, not the first (default false). */
  admitOnRepeat?: boolean;
}

export const TEXT_MEMO_LIMITS: TextMemoLimits = { minChars: 1_024, maxEntries: 1_024, maxChars: 64 * 1024 * 1024 };
/** For reading logs: unique long texts are hashed, never held. */
export const LOG_MEMO_LIMITS: TextMemoLimits = { ...TEXT_MEMO_LIMITS, admitOnRepeat: true };

/** Texts seen once, by hash: their token counts (4 × maxEntries of them, oldest out). */
const seenOnce = (maxEntries: number) => {
  const tokensByHash = new Map<number, number>();
  return {
    /** The text's token count if it was seen before (and forgets it: it is about to be remembered). */
    take: (hash: number): number | undefined => {
      const tokens = tokensByHash.get(hash);
      if (tokens !== undefined) tokensByHash.delete(hash);
      return tokens;
    },
    add: (hash: number, tokens: number): void => {
      tokensByHash.set(hash, tokens);
      if (tokensByHash.size > 4 * maxEntries) tokensByHash.delete(tokensByHash.keys().next().value as number);
    },
  };
};

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
  const once = limits.admitOnRepeat === true ? seenOnce(limits.maxEntries) : undefined;
  // Hashes `prime` made for the texts about to be described; replaced at each call of it.
  let primed: Array<{ text: string; hash: number }> = [];
  const hashOf = (text: string): number => {
    for (const p of primed) if (p.text === text) return p.hash;
    return hashText(text);
  };
  const describe: DescribeText = (text) => {
    if (text.length < limits.minChars) return { hash: hashText(text), tokens: count(text) };
    const known = memo.get(text);
    if (known !== undefined) {
      known.used = true;
      return known;
    }
    const hash = hashOf(text);
    if (once !== undefined && text.length <= limits.maxChars) {
      // Equal 53-bit hashes are taken for equal texts, as the cache's keys are (core/model/hash.ts).
      const tokens = once.take(hash);
      if (tokens === undefined) {
        const facts = { hash, tokens: count(text) };
        once.add(hash, facts.tokens);
        return facts;
      }
      const entry: Entry = { hash, tokens, used: false };
      memo.set(text, entry);
      chars += text.length;
      evict();
      return entry;
    }
    const entry: Entry = { hash, tokens: count(text), used: false };
    if (text.length > limits.maxChars) return entry;
    memo.set(text, entry);
    chars += text.length;
    evict();
    return entry;
  };
  describe.prime = (texts) => {
    primed = [];
    const todo = texts.filter((t) => t.length >= PAIR_MIN_CHARS && !memo.has(t));
    for (let i = 0; i + 1 < todo.length; i += 2) {
      const [a, b] = hashTextPair(todo[i], todo[i + 1]);
      primed.push({ text: todo[i], hash: a }, { text: todo[i + 1], hash: b });
    }
  };
  return describe;
};
