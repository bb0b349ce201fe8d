// Where two texts part and how much of their ends they share, found with native substring
// comparisons (a binary search over slices), so a 32 kB system prompt costs a few memcmp calls
// rather than a JavaScript loop over every character.

/** Length of the longest common prefix of `a` and `b`. */
export const commonPrefixLength = (a: string, b: string): number => {
  let lo = 0;
  let hi = Math.min(a.length, b.length);
  if (a.slice(0, hi) === b.slice(0, hi)) return hi;
  hi--;
  // a[0, lo) === b[0, lo); the answer lies in [lo, hi].
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/** Length of the longest common suffix of `a` and `b` that does not reach back past `limit` characters. */
export const commonSuffixLength = (a: string, b: string, limit: number): number => {
  let lo = 0;
  let hi = Math.min(a.length, b.length, limit);
  if (a.slice(a.length - hi) === b.slice(b.length - hi)) return hi;
  hi--;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};
