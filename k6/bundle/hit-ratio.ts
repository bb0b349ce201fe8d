// `cache_hit_ratio` is token-weighted: cache-read tokens ÷ all input tokens (uncached + cache
// write + cache read), the same figure as the ledger's hit rate. A k6 Rate only counts samples,
// so each request adds one `true` per TOKENS_PER_SAMPLE tokens read from the cache and one
// `false` per TOKENS_PER_SAMPLE tokens that were not; the remainder is carried to the VU's next
// request, so nothing is rounded away except under TOKENS_PER_SAMPLE tokens per VU at the end.
// handleSummary reports the exact ratio from the token Counters beside it. Every sample costs k6
// CPU (a metric sample with its tags: 6 to 12 µs in the script, more in k6's metrics engine): at
// 100 tokens a sample, a 12k-token prompt was 120 samples per request.

export const TOKENS_PER_SAMPLE = 1_000;

export interface TokenSampler {
  /** How many true and false samples these tokens are worth, carrying remainders. */
  add: (readTokens: number, otherInputTokens: number) => { hits: number; misses: number };
}

export const createTokenSampler = (tokensPerSample = TOKENS_PER_SAMPLE): TokenSampler => {
  let carryRead = 0;
  let carryOther = 0;
  return {
    add: (readTokens, otherInputTokens) => {
      carryRead += readTokens;
      carryOther += otherInputTokens;
      const hits = Math.floor(carryRead / tokensPerSample);
      const misses = Math.floor(carryOther / tokensPerSample);
      carryRead -= hits * tokensPerSample;
      carryOther -= misses * tokensPerSample;
      return { hits, misses };
    },
  };
};
