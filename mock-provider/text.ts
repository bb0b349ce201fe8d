// Generated answers: faker words, seeded from (run seed, request hash), so an identical request
// gets identical text and the same seed replays the same conversation. An answer of n output
// tokens is exactly 4n characters, cut into n pieces of 4 (a token's worth each, like the
// sub-word pieces a real stream carries): sent back as history, it counts as exactly the n tokens
// it was billed under the default estimator (4 characters a token, core/wire/tokens.ts), so a
// multi-turn rehearsal's history grows as the provider's would (issue 13, item 6).
// Identical requests are common (that is what a cache rehearsal sends), so recent texts are kept,
// bounded by their size rather than their number: one answer can be a model's whole output cap
// (128,000 tokens), and 512 of those held 4 GB (issue 16, item 1).

// The en-locale entry point loads in ~35 ms; the package root loads every locale (~370 ms).
import { faker } from '@faker-js/faker/locale/en';
import { hashString } from '../core/model/hash.ts';

export interface Answer {
  /** One piece per output token, 4 characters each ("Volu", "ptas", " ali"…), for streaming. */
  pieces: readonly string[];
  /** The pieces joined. */
  text: string;
  /** `text` as a JSON string literal, escaped once per distinct answer rather than once per response. */
  json: string;
}

export interface TextGenerator {
  answer: (requestHash: number, tokens: number) => Answer;
  /** Characters of answer text held by the memo now. */
  memoChars: () => number;
}

/** The default estimator's ratio (core/wire/tokens.ts). */
const CHARS_PER_TOKEN = 4;

/**
 * Exactly `chars` characters of prose from the seeded faker, ending in a full stop: a sentence
 * every 12 words, so the text reads as prose in a client's UI. Draws about one word per 7 characters.
 */
const proseOfChars = (chars: number): string => {
  let prose = '';
  for (let i = 0; prose.length < chars; i++) {
    const word = faker.lorem.word();
    const capital = word.charAt(0).toUpperCase() + word.slice(1);
    prose += i === 0 ? capital : i % 12 === 0 ? `. ${capital}` : ` ${word}`;
  }
  // The last character is a full stop; one that would follow a space replaces the space's word break.
  const body = prose.slice(0, chars - 1);
  return body.endsWith(' ') || body.endsWith('.') ? `${body.slice(0, -1)}s.` : `${body}.`;
};

const EMPTY: Answer = { pieces: [], text: '', json: '""' };

const MEMO_ENTRIES = 512;
/** Characters of answer text the memo holds (each answer also keeps its pieces and JSON, ~3× in all). */
export const MEMO_CHARS = 8 * 1024 * 1024;

export const createTextGenerator = (seed: string): TextGenerator => {
  const seedHash = hashString(seed);
  const memo = new Map<string, Answer>();
  let chars = 0;
  return {
    memoChars: () => chars,
    answer: (requestHash, tokens) => {
      if (tokens <= 0) return EMPTY;
      const id = `${requestHash}:${tokens}`;
      const known = memo.get(id);
      if (known !== undefined) return known;
      // Seeded right before use, synchronously: sharing the module's instance is safe.
      faker.seed([seedHash % 0x7fffffff, requestHash % 0x7fffffff]);
      const text = proseOfChars(tokens * CHARS_PER_TOKEN);
      const pieces: string[] = new Array<string>(tokens);
      for (let i = 0; i < tokens; i++) pieces[i] = text.slice(i * CHARS_PER_TOKEN, (i + 1) * CHARS_PER_TOKEN);
      const answer = { pieces, text, json: JSON.stringify(text) };
      // An answer bigger than a quarter of the memo is not kept: it would evict a quarter of the rest.
      if (text.length > MEMO_CHARS / 4) return answer;
      // Oldest first out, until there is room by count and by size.
      for (const [oldId, old] of memo) {
        if (memo.size < MEMO_ENTRIES && chars + text.length <= MEMO_CHARS) break;
        memo.delete(oldId);
        chars -= old.text.length;
      }
      memo.set(id, answer);
      chars += text.length;
      return answer;
    },
  };
};
