// Generated answers: a window of seeded faker prose, placed by (run seed, request hash), so an
// identical request gets identical text and the same seed replays the same conversation. An
// answer of n output tokens is exactly 4n characters, streamed in pieces of 4 (a token's worth
// each, like the sub-word pieces a real stream carries): sent back as history, it counts as
// exactly the n tokens it was billed under the default estimator (4 characters a token,
// core/wire/tokens.ts), so a multi-turn rehearsal's history grows as the provider's would
// (issue 13, item 6).
//
// A window of the pool is one slice, so answers need no memo: only the last 16 short ones are
// kept, for identical requests in a row (one answer can be a model's whole output cap, 128,000
// tokens, and a memo of 512 of those held 4 GB: issue 16, item 1).

// The en-locale entry point loads in ~35 ms; the package root loads every locale (~370 ms).
import { faker } from '@faker-js/faker/locale/en';
import { hashString } from '../core/model/hash.ts';

export interface Answer {
  /** The answer's text: 4 characters per output token ("Volu", "ptas", " ali"…). */
  text: string;
  /** `text` as a JSON string literal, escaped when first asked for (non-streaming replies only). */
  readonly json: string;
}

export interface TextGenerator {
  answer: (requestHash: number, tokens: number) => Answer;
}

/** The default estimator's ratio (core/wire/tokens.ts). */
const CHARS_PER_TOKEN = 4;

/**
 * The prose answers are cut from: faker words, a sentence every 12, drawn once per run seed.
 * Drawing words per answer cost ~0.5 ms for 300 tokens (about 170 faker calls), on the request's
 * own path: a herd of 1,000 distinct requests spent half a second of the mock's only thread on
 * it (CPU profile of the stampede on real k6). A window of a shared pool costs one slice.
 */
const POOL_CHARS = 64 * 1024;
const pools = new Map<number, string>();

const poolFor = (seedHash: number): string => {
  const known = pools.get(seedHash);
  if (known !== undefined) return known;
  faker.seed(seedHash % 0x7fffffff);
  let prose = '';
  for (let i = 0; prose.length < POOL_CHARS; i++) {
    const word = faker.lorem.word();
    prose += i % 12 === 0 ? `${i === 0 ? '' : '. '}${word.charAt(0).toUpperCase()}${word.slice(1)}` : ` ${word}`;
  }
  // One pool per seed a process has seen: runs and tests use a handful.
  pools.set(seedHash, prose);
  return prose;
};

/** `chars` characters of the pool from `offset`, wrapping round as often as needed. */
const poolWindow = (pool: string, offset: number, chars: number): string => {
  let text = pool.slice(offset, offset + chars);
  while (text.length < chars) text += pool.slice(0, chars - text.length);
  return text;
};

/** Exactly `chars` characters of prose, opening with a capitalised word and ending in a full stop. */
const proseOfChars = (pool: string, requestHash: number, chars: number): string => {
  if (chars === 1) return '.';
  const at = (requestHash >>> 0) % pool.length;
  const window = poolWindow(pool, pool.charAt(at) === ' ' ? (at + 1) % pool.length : at, chars);
  const body = window.charAt(0).toUpperCase() + window.slice(1, chars - 1);
  // A full stop that would follow a space replaces the space's word break.
  return body.endsWith(' ') || body.endsWith('.') ? `${body.slice(0, -1)}s.` : `${body}.`;
};

/** An answer of this text; its JSON literal is escaped at most once, and only if a reply needs it. */
export const answerOf = (text: string): Answer => {
  let json: string | undefined;
  return {
    text,
    get json() {
      json ??= JSON.stringify(text);
      return json;
    },
  };
};

const EMPTY: Answer = answerOf('');

/** At most this many content events per answer: pacing stays smooth without one event per token. */
const MAX_CHUNKS = 64;

/**
 * The answer's text as at most MAX_CHUNKS consecutive pieces of nearly equal token counts (each a
 * whole number of 4-character tokens), for streaming.
 */
export const chunksOf = (text: string): string[] => {
  const tokens = Math.ceil(text.length / CHARS_PER_TOKEN);
  const chunks = Math.min(MAX_CHUNKS, tokens);
  const out: string[] = [];
  for (let i = 0; i < chunks; i++) {
    out.push(text.slice(Math.floor((i * tokens) / chunks) * CHARS_PER_TOKEN, Math.floor(((i + 1) * tokens) / chunks) * CHARS_PER_TOKEN));
  }
  return out;
};

/**
 * The last few answers, for identical requests in a row (what a cache rehearsal sends): one
 * answer's JSON is escaped once rather than per response. Few and small, so they stay young and
 * cheap to collect (a memo of 512 answers spent more in GC than it saved on distinct requests).
 */
const RECENT = 16;
const RECENT_MAX_CHARS = 64 * 1024;

export const createTextGenerator = (seed: string): TextGenerator => {
  // Drawn now (~50 ms, once per seed a process sees), not on the first request's path.
  const pool = poolFor(hashString(seed));
  const recent = new Map<string, Answer>();
  // The answer given last, which `recent` holds: the same request again finds it without a key
  // string built for the map.
  let lastHash = Number.NaN;
  let lastTokens = 0;
  let last: Answer = EMPTY;
  return {
    answer: (requestHash, tokens) => {
      if (tokens <= 0) return EMPTY;
      if (requestHash === lastHash && tokens === lastTokens) return last;
      const chars = tokens * CHARS_PER_TOKEN;
      if (chars > RECENT_MAX_CHARS) return answerOf(proseOfChars(pool, requestHash, chars));
      const id = `${requestHash}:${tokens}`;
      let answer = recent.get(id);
      if (answer === undefined) {
        answer = answerOf(proseOfChars(pool, requestHash, chars));
        if (recent.size >= RECENT) recent.delete(recent.keys().next().value as string);
        recent.set(id, answer);
      }
      lastHash = requestHash;
      lastTokens = tokens;
      last = answer;
      return answer;
    },
  };
};
