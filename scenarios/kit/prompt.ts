// Request builders emit segments directly, never text: a segment is a content name and a token
// count. Naming content (`system:v3`) instead of hashing text keeps builders fast and readable.

import { hashString, mixKey } from '../../core/model/hash.ts';
import type { CacheTtl, Segment } from '../../core/model/types.ts';

const hashes = new Map<string, number>();

/** A segment whose content is identified by `name`: same name and tokens, same bytes. */
export const segment = (name: string, tokens: number, breakpoint?: CacheTtl): Segment => {
  let hash = hashes.get(name);
  if (hash === undefined) {
    hash = hashString(name);
    if (hashes.size < 100_000) hashes.set(name, hash);
  }
  return breakpoint === undefined ? { hash, tokens } : { hash, tokens, breakpoint };
};

// The last two families asked for, checked before the map: a builder names the same few families
// on every request (a prefix and a question), so a string comparison instead of a map lookup.
let lastFamily = '';
let lastHash = 0;
let otherFamily = '';
let otherHash = 0;

const familyHash = (family: string): number => {
  if (family === lastFamily) return lastHash;
  if (family === otherFamily) {
    const hash = otherHash;
    otherFamily = lastFamily;
    otherHash = lastHash;
    lastFamily = family;
    lastHash = hash;
    return hash;
  }
  let hash = hashes.get(family);
  if (hash === undefined) {
    hash = hashString(family);
    hashes.set(family, hash);
  }
  otherFamily = lastFamily;
  otherHash = lastHash;
  lastFamily = family;
  lastHash = hash;
  return hash;
};

/**
 * The `index`-th member of a family of distinct contents (`question` 17, `user-context` 4,711),
 * without building and hashing a name per request: the hot path of large simulations.
 */
export const indexedSegment = (family: string, index: number, tokens: number, breakpoint?: CacheTtl): Segment => {
  const hash = mixKey(familyHash(family), index, 0x5e9);
  return breakpoint === undefined ? { hash, tokens } : { hash, tokens, breakpoint };
};

/**
 * `segment` whose first `headTokens` tokens are the content named `headName`: two segments with the
 * same head share a cached prefix that far, whatever follows. OpenAI matches prefixes inside a
 * message in 128-token steps (provider-facts §2.1), so "the same 3,000-token document, a different
 * question" in one message is `sharingStart(segment(\`doc+q\${i}\`, 3_020), 'doc', 3_000)`: 2,944
 * tokens cached. Anthropic reads only at block boundaries, so a head changes nothing there.
 */
export const sharingStart = (base: Segment, headName: string, headTokens: number): Segment => {
  if (!(headTokens > 0 && headTokens <= base.tokens)) throw new RangeError(`sharingStart: headTokens must be in 1..${base.tokens}, got ${headTokens}`);
  return { ...base, head: { shared: { hash: segment(headName, headTokens).hash, tokens: headTokens } } };
};

/** An integer in [min, max] from a uniform draw. */
export const uniformInt = (rng: () => number, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

/** Zipf-distributed rank in [0, n) with exponent s, by inverse CDF over precomputed weights. */
export const zipf = (n: number, s: number): ((rng: () => number) => number) => {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += 1 / (k + 1) ** s;
    cdf[k] = total;
  }
  return (rng) => {
    const u = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
};
