// Request builders name content (a hash and a token count); a wire request needs text. Each
// segment becomes text that is a pure function of its hash and token count, so identical segments
// are identical bytes (and hit the same cache entries at the provider's edge), different segments
// differ from their first characters, and the length is exactly 4 characters per token: the mock
// provider's fast estimator (mock-provider/tokens.ts, ceil(chars / 4)) counts back the scenario's
// own token count. Under the exact tokenizer (js-tiktoken) these common words are ~5.8 characters
// a token: cl100k_base and o200k_base both count 0.69 of the scenario's tokens (measured on 1k-
// and 14k-token segments), so run live rehearsals with the fast estimator.

export const CHARS_PER_TOKEN = 4;

const WORDS = [
  'cache', 'prefix', 'token', 'model', 'request', 'window', 'limit', 'policy', 'tenant', 'session',
  'system', 'prompt', 'answer', 'context', 'review', 'ticket', 'account', 'billing', 'refund', 'order',
  'shipping', 'invoice', 'support', 'agent', 'tool', 'search', 'result', 'summary', 'detail', 'report',
  'status', 'update', 'a', 'the', 'of', 'and', 'to', 'in', 'for', 'with', 'on', 'by', 'is', 'are',
  'when', 'then', 'each', 'every', 'first', 'last', 'new', 'old', 'fast', 'slow', 'warm', 'cold',
  'read', 'write', 'hit', 'miss', 'expire', 'refresh', 'retry', 'queue',
] as const;

/** xorshift32 over the hash's two halves: cheap and identical in k6 and Node. */
const wordStream = (hash: number): (() => string) => {
  let state = (hash >>> 0) ^ Math.floor(hash / 0x100000000) ^ 0x9e3779b9;
  if (state === 0) state = 0x1234567;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return WORDS[state % WORDS.length];
  };
};

/**
 * The words after a segment's hash: one 4 kB block of the word stream, doubled by concatenation
 * until it covers the longest segment asked for. k6's runtime (goja) interprets JavaScript slowly
 * (the word stream took 28.9 ms for a 12k-token segment inside k6) but concatenates and slices
 * ASCII strings natively, so a segment costs one slice and one concatenation, not one call per word.
 */
const BLOCK_CHARS = 4_096;
const block = ((): string => {
  const next = wordStream(0x5eed);
  const parts: string[] = [];
  let size = 0;
  while (size < BLOCK_CHARS) {
    const word = ` ${next()}`;
    parts.push(word);
    size += word.length;
  }
  return parts.join('').slice(0, BLOCK_CHARS);
})();
let filler = block;
const fillerOf = (length: number): string => {
  while (filler.length < length + BLOCK_CHARS) filler += filler;
  return filler;
};

/** Per VU (each k6 VU has its own module instance): the segments a scenario repeats are few. */
const memo = new Map<string, string>();
const MEMO_ENTRIES = 256;

/**
 * Text of exactly `tokens × 4` characters for a segment. It opens with the hash in base 36 so two
 * segments differ at once; segments of three tokens or fewer hold a truncated hash (collisions
 * there are possible but harmless: such segments are far below any cacheable minimum). The words
 * after it start at an offset drawn from the hash, so different segments differ past their heads too.
 */
export const segmentText = (hash: number, tokens: number): string => {
  const key = `${hash}:${tokens}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const length = tokens * CHARS_PER_TOKEN;
  const head = `[${hash.toString(36)}]`;
  let text: string;
  if (length <= head.length) text = head.slice(0, length);
  else {
    const offset = (((hash >>> 0) ^ Math.floor(hash / 0x100000000)) >>> 0) % BLOCK_CHARS;
    text = head + fillerOf(length).slice(offset, offset + length - head.length);
  }
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
  memo.set(key, text);
  return text;
};

/** A name for `textOfSegment(segment)`: segments with equal keys have equal texts. */
export const segmentKey = (segment: { hash: number; tokens: number; head?: unknown }): string => {
  const head = segment.head as { shared?: { hash: number; tokens: number } } | undefined;
  const shared = head === undefined ? undefined : head.shared;
  if (shared === undefined || shared.tokens >= segment.tokens) return `${segment.hash}:${segment.tokens}`;
  return `${shared.hash}:${shared.tokens}+${segment.hash}:${segment.tokens - shared.tokens}`;
};

/**
 * A segment's text: its head's text first when it shares its start with other segments
 * (scenarios/kit/prompt.ts `sharingStart`), so the mock provider, which matches the text's own
 * prefixes, finds the shared start the simulator counts.
 */
export const textOfSegment = (segment: { hash: number; tokens: number; head?: unknown }): string => {
  const head = segment.head as { shared?: { hash: number; tokens: number } } | undefined;
  const shared = head === undefined ? undefined : head.shared;
  if (shared === undefined || shared.tokens >= segment.tokens) return segmentText(segment.hash, segment.tokens);
  return segmentText(shared.hash, shared.tokens) + segmentText(segment.hash, segment.tokens - shared.tokens);
};
