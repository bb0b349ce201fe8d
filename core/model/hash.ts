// Keys are 52-bit integers: plain numbers make Map lookups fast (the hot path of the simulator),
// and at 2^52 a collision among even 10^8 live prefixes has probability ~10^-3 per run, well
// below any effect the scenarios measure. Mixing is murmur3's finaliser over two 32-bit lanes.

const fmix32 = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

const HI = 0x100000; // 2^20: the high lane keeps 20 bits so hi * 2^32 + lo stays a safe integer

/** Combines a key with two numbers into a new key: `mixKey(parent, contentHash, tokenOffset)`. */
export const mixKey = (parent: number, a: number, b: number): number => {
  const pLo = parent >>> 0;
  const pHi = Math.floor(parent / 0x100000000) >>> 0;
  const aLo = a >>> 0;
  const aHi = Math.floor(a / 0x100000000) >>> 0;
  const lo = fmix32(Math.imul(pLo ^ fmix32(aLo + 0x9e3779b9), 0x27d4eb2f) ^ fmix32(b + 0x165667b1) ^ pHi);
  // `& (HI - 1)` is `% HI` for this unsigned 32-bit value (HI is a power of two), without a floating-point modulo.
  const hi = fmix32(Math.imul(pHi ^ fmix32(aHi ^ lo), 0x85ebca77) ^ fmix32(b ^ 0xc2b2ae3d) ^ pLo) & (HI - 1);
  return hi * 0x100000000 + lo;
};

const SEED1 = 0xdeadbeef;
const SEED2 = 0x41c6ce57;

const finish = (a: number, b: number): number => {
  const h1 = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const h2 = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 & 0xfffff) * 0x100000000 + (h1 >>> 0);
};

/** cyrb53: a fast 53-bit string hash, for turning text, ids and names into content hashes. */
export const hashString = (text: string, seed = 0): number => {
  let h1 = SEED1 ^ seed;
  let h2 = SEED2 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finish(h1, h2);
};

/** `hashString` of a text's first `chars` characters, for any `chars`. */
export type PrefixHash = (chars: number) => number;

/**
 * `hashString(text.slice(0, chars))` for many `chars`, incrementally: cyrb53 reads a text in one
 * pass, so its state after n characters continues to n + k without rereading the first n. Asked in
 * ascending order (as prefix lookups ask), all the prefixes of a text cost one pass over it; each
 * answer is remembered, so a text seen again costs a Map lookup per prefix.
 */
export const prefixHasher = (text: string, seed = 0): PrefixHash => {
  let h1 = SEED1 ^ seed;
  let h2 = SEED2 ^ seed;
  let at = 0;
  const known = new Map<number, number>();
  return (chars) => {
    const end = Math.max(0, Math.min(chars, text.length));
    const hit = known.get(end);
    if (hit !== undefined) return hit;
    if (end < at) {
      h1 = SEED1 ^ seed;
      h2 = SEED2 ^ seed;
      at = 0;
    }
    for (; at < end; at++) {
      const ch = text.charCodeAt(at);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    const value = finish(h1, h2);
    known.set(end, value);
    return value;
  };
};
