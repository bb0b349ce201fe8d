// Generated answers: faker words, seeded from (run seed, request hash), so an identical request
// gets identical text and the same seed replays the same conversation. One word stands for one
// output token: the usage figures come from the model, the text only has to be plausible.
// Identical requests are common (that is what a cache rehearsal sends), so recent texts are kept.

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
}

const EMPTY: Answer = { pieces: [], text: '', json: '""' };

const MEMO_ENTRIES = 512;

export const createTextGenerator = (seed: string): TextGenerator => {
  const seedHash = hashString(seed);
  const memo = new Map<string, Answer>();
  return {
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
      if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
      memo.set(id, answer);
      return answer;
    },
  };
};
