// Generated answers: faker words, seeded from (run seed, request hash), so an identical request
// gets identical text and the same seed replays the same conversation. One word stands for one
// output token: the usage figures come from the model, the text only has to be plausible.
// Identical requests are common (that is what a cache rehearsal sends), so recent texts are kept,
// bounded by their size rather than their number: one answer can be a model's whole output cap
// (128,000 tokens), and 512 of those held 4 GB (issue 16, item 1).

// The en-locale entry point loads in ~35 ms; the package root loads every locale (~370 ms).
import { faker } from '@faker-js/faker/locale/en';
import { hashString } from '../core/model/hash.ts';

export interface Answer {
  /** One piece per output token ("Word", " word", …), for streaming. */
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
      const pieces: string[] = [];
      for (let i = 0; i < tokens; i++) {
        const word = faker.lorem.word();
        // A sentence every 12 words, so the text reads as prose in a client's UI.
        const capital = word.charAt(0).toUpperCase() + word.slice(1);
        pieces.push(i === 0 ? capital : i % 12 === 0 ? `. ${capital}` : ` ${word}`);
      }
      pieces[pieces.length - 1] += '.';
      const text = pieces.join('');
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
