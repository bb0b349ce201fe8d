// Token counts for prompt text, computed once at the edge. The fast estimator (≈ 4 characters per
// token, the rule of thumb both providers publish) costs nothing per request; `exact` loads
// js-tiktoken's BPE ranks: o200k_base for OpenAI's current models, cl100k_base as the nearest
// public stand-in for Claude's tokenizer, which is not published.

export const TOKENIZER_KINDS = ['fast', 'exact'] as const;
export type TokenizerKind = (typeof TOKENIZER_KINDS)[number];

export type CountTokens = (text: string) => number;

export const CHARS_PER_TOKEN = 4;

export const estimateTokens: CountTokens = (text) => Math.ceil(text.length / CHARS_PER_TOKEN);

export type Encoding = 'o200k_base' | 'cl100k_base';

const loadRanks = async (encoding: Encoding) =>
  encoding === 'o200k_base'
    ? (await import('js-tiktoken/ranks/o200k_base')).default
    : (await import('js-tiktoken/ranks/cl100k_base')).default;

/** A counter for one wire API; the exact one is loaded lazily so `fast` never pays for the ranks. */
export const createTokenCounter = async (kind: TokenizerKind, encoding: Encoding): Promise<CountTokens> => {
  if (kind === 'fast') return estimateTokens;
  const { Tiktoken } = await import('js-tiktoken/lite');
  const tiktoken = new Tiktoken(await loadRanks(encoding));
  // Special-token text in a prompt is counted as plain text, as the providers do for user content.
  return (text) => (text.length === 0 ? 0 : tiktoken.encode(text, [], []).length);
};
