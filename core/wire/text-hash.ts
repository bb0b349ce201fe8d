// `hashString` (core/model/hash.ts, cyrb53) of long texts, faster and with the same values. The
// hash reads one UTF-16 code unit at a time; `charCodeAt` on a string costs more per unit than a
// typed-array load, so a long text is first copied into a reused buffer as UTF-16 (a native copy,
// ~1 µs for 32 kB) and hashed from a Uint16Array: ~30 % less time a text. Each character costs a
// chain of a xor and a multiply per lane, so one text's hash is bound by that latency (~40 µs for
// 32 k characters here), not by the CPU's throughput: `hashTextPair` hashes two texts in one loop,
// their four chains interleaved, in little more than the time of one (~22 µs a text instead of ~43
// on the doctor bench's log). The request-log reader pairs the long texts of two consecutive lines
// (text-memo.ts `prime`); pairing the lines of a whole chunk held them through more minor GCs and
// lost the gain. Only little-endian machines take the typed-array path; the values are
// hashString's everywhere (test/core/wire/text-hash.test.ts).

import { hashString } from '../model/hash.ts';

const SEED1 = 0xdeadbeef;
const SEED2 = 0x41c6ce57;
const M1 = 2654435761;
const M2 = 1597334677;

/** hashString's finaliser (core/model/hash.ts `finish`). */
const finish = (a: number, b: number): number => {
  const h1 = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const h2 = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 & 0xfffff) * 0x100000000 + (h1 >>> 0);
};

/** Below this length the copy saves nothing measurable (equal at 4 k characters, ~20 % less at 32 k). */
const MIN_CHARS = 8_192;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Scratch {
  bytes: Buffer;
  units: Uint16Array;
}
const scratch = (chars: number): Scratch => {
  const bytes = Buffer.allocUnsafe(chars * 2);
  return { bytes, units: new Uint16Array(bytes.buffer, bytes.byteOffset, chars) };
};
let reused: Scratch | undefined;
let second: Scratch | undefined;

const fit = (space: Scratch | undefined, text: string): Scratch => (space === undefined || space.units.length < text.length ? scratch(Math.max(text.length, 64 * 1024)) : space);

/** The text's UTF-16 code units in a reused buffer (utf16le writes them as they are, lone surrogates too). */
const unitsOf = (text: string): Uint16Array => {
  reused = fit(reused, text);
  reused.bytes.write(text, 0, 'utf16le');
  return reused.units;
};

/** unitsOf into a second buffer, for the other text of a pair. */
const secondUnitsOf = (text: string): Uint16Array => {
  second = fit(second, text);
  second.bytes.write(text, 0, 'utf16le');
  return second.units;
};

// The loop's two lanes, left here by `mix` for `hashText` to finish.
let lane1 = 0;
let lane2 = 0;

/**
 * The loop on its own, ending in plain stores. One 32 k-character text is enough for V8 to
 * compile a function mid-loop (on-stack replacement), and code after the loop has not run yet then:
 * a call there (`finish`) had no type feedback, so the optimised code bailed out at it, and the next
 * text ran its loop unoptimised until the next replacement. `cachecast doctor` went through that
 * ~90 times in its first few thousand requests (`node --trace-deopt`), 2–4× their steady cost.
 */
const mix = (units: Uint16Array, n: number): void => {
  let h1 = SEED1;
  let h2 = SEED2;
  for (let i = 0; i < n; i++) {
    const ch = units[i];
    h1 = Math.imul(h1 ^ ch, M1);
    h2 = Math.imul(h2 ^ ch, M2);
  }
  lane1 = h1;
  lane2 = h2;
};

/** `hashString(text)`. */
export const hashText = (text: string): number => {
  if (text.length < MIN_CHARS || !LITTLE_ENDIAN) return hashString(text);
  mix(unitsOf(text), text.length);
  return finish(lane1, lane2);
};

// The other text's lanes, left by `mixPair`.
let lane3 = 0;
let lane4 = 0;

/** `mix` of two texts at once, their chains interleaved over the shorter length; the longer one's rest after. */
const mixPair = (a: Uint16Array, lengthA: number, b: Uint16Array, lengthB: number): void => {
  let a1 = SEED1;
  let a2 = SEED2;
  let b1 = SEED1;
  let b2 = SEED2;
  const both = Math.min(lengthA, lengthB);
  let i = 0;
  for (; i < both; i++) {
    const x = a[i];
    const y = b[i];
    a1 = Math.imul(a1 ^ x, M1);
    a2 = Math.imul(a2 ^ x, M2);
    b1 = Math.imul(b1 ^ y, M1);
    b2 = Math.imul(b2 ^ y, M2);
  }
  for (let j = i; j < lengthA; j++) {
    const x = a[j];
    a1 = Math.imul(a1 ^ x, M1);
    a2 = Math.imul(a2 ^ x, M2);
  }
  for (let j = i; j < lengthB; j++) {
    const y = b[j];
    b1 = Math.imul(b1 ^ y, M1);
    b2 = Math.imul(b2 ^ y, M2);
  }
  lane1 = a1;
  lane2 = a2;
  lane3 = b1;
  lane4 = b2;
};

/** `[hashString(a), hashString(b)]`, in about the time of one when both are long. */
export const hashTextPair = (a: string, b: string): [number, number] => {
  if (a.length < MIN_CHARS || b.length < MIN_CHARS || !LITTLE_ENDIAN) return [hashText(a), hashText(b)];
  mixPair(unitsOf(a), a.length, secondUnitsOf(b), b.length);
  return [finish(lane1, lane2), finish(lane3, lane4)];
};

/** Texts from this long are worth pairing (below it hashString reads them directly). */
export const PAIR_MIN_CHARS = MIN_CHARS;
