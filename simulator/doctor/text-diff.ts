// Where two texts part and how much of their ends they share, found with native substring
// comparisons: 256-character chunks from the start (growing ones from the end) until one differs,
// then a binary search inside that chunk. A difference near the start of a 32 kB system prompt costs one chunk,
// not a JavaScript loop over every character or a comparison of the whole text.

const CHUNK = 256;

/** Length of the longest common prefix of `a` and `b`. */
export const commonPrefixLength = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length);
  let lo = 0;
  while (lo < n) {
    const end = Math.min(n, lo + CHUNK);
    if (a.slice(lo, end) !== b.slice(lo, end)) break;
    lo = end;
  }
  if (lo >= n) return n;
  // a[0, lo) === b[0, lo), and they differ before lo + CHUNK.
  let hi = Math.min(n, lo + CHUNK) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/** Length of the longest common suffix of `a` and `b` that does not reach back past `limit` characters. */
export const commonSuffixLength = (a: string, b: string, limit: number): number => {
  const n = Math.min(a.length, b.length, limit);
  // Galloping: suffixes of 256, 512, 1,024 ... characters until one differs. Texts that differ near
  // their start (a timestamp atop a system prompt) share almost all of their end: ~8 comparisons of
  // a 32 kB prompt instead of 125 chunks, each a pair of substrings to make and compare.
  const same = (from: number, to: number): boolean => a.slice(a.length - to, a.length - from) === b.slice(b.length - to, b.length - from);
  let lo = 0;
  let step = CHUNK;
  while (lo < n) {
    const end = Math.min(n, lo + step);
    if (!same(lo, end)) break;
    lo = end;
    step *= 2;
  }
  if (lo >= n) return n;
  // The ends agree over lo characters and differ within the next `step`.
  let hi = Math.min(n, lo + step) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (same(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};
