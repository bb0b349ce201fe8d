// Where two texts part and how much of their ends they share, found with native comparisons of
// whole ranges: 256-character chunks from the start (growing ones from the end) until one differs,
// then a binary search inside that chunk. A difference near the start of a 32 kB system prompt
// costs one chunk, not a JavaScript loop over every character or a comparison of the whole text.
// The same searches run on strings (substring equality) and on bytes (Buffer#compare, for a kept
// request's text packed one byte a character, which need not be unpacked to be compared).

const CHUNK = 256;

/** Whether a[from, to) equals b[from, to), counted from the start or, for suffixes, from the end. */
type Same = (from: number, to: number) => boolean;

/** The longest `n' <= n` such that same(0, n'), given same(x, y) for ranges that grow from 0. */
const prefixBy = (n: number, same: Same): number => {
  let lo = 0;
  while (lo < n) {
    const end = Math.min(n, lo + CHUNK);
    if (!same(lo, end)) break;
    lo = end;
  }
  if (lo >= n) return n;
  // [0, lo) agree, and they differ before lo + CHUNK.
  let hi = Math.min(n, lo + CHUNK) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (same(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/** As prefixBy, galloping: texts that differ near their start share almost all of their end. */
const suffixBy = (n: number, same: Same): number => {
  let lo = 0;
  let step = CHUNK;
  while (lo < n) {
    const end = Math.min(n, lo + step);
    if (!same(lo, end)) break;
    lo = end;
    step *= 2;
  }
  if (lo >= n) return n;
  let hi = Math.min(n, lo + step) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (same(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/** Length of the longest common prefix of `a` and `b`. */
export const commonPrefixLength = (a: string, b: string): number => prefixBy(Math.min(a.length, b.length), (from, to) => a.slice(from, to) === b.slice(from, to));

/** Length of the longest common suffix of `a` and `b` that does not reach back past `limit` characters. */
export const commonSuffixLength = (a: string, b: string, limit: number): number =>
  suffixBy(Math.min(a.length, b.length, limit), (from, to) => a.slice(a.length - to, a.length - from) === b.slice(b.length - to, b.length - from));

/** commonPrefixLength of two byte strings. */
export const commonPrefixBytes = (a: Buffer, b: Buffer): number => prefixBy(Math.min(a.length, b.length), (from, to) => a.compare(b, from, to, from, to) === 0);

/** commonSuffixLength of two byte strings. */
export const commonSuffixBytes = (a: Buffer, b: Buffer, limit: number): number =>
  suffixBy(Math.min(a.length, b.length, limit), (from, to) => a.compare(b, b.length - to, b.length - from, a.length - to, a.length - from) === 0);
