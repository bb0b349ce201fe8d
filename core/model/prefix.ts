// A prompt's prefix keys. A key names a whole prefix: it chains the model/tokenizer salt with
// every segment before it, so changing any earlier byte, the model version or the tokenizer
// changes every key after it (provider-facts §1.2 "the hash is cumulative", §4).

import { mixKey } from './hash.ts';
import type { Segment } from './types.ts';

export interface PromptLayout {
  /** cumTokens[i] = tokens before segment i; cumTokens[n] = the whole prompt. */
  cumTokens: number[];
  /** chainKeys[i] = key of the prefix made of segments 0..i-1 (chainKeys[0] is the salt). */
  chainKeys: number[];
  segments: readonly Segment[];
  tokenScale: number;
}

/** Scaled token count of a segment: a tokenizer that inflates counts makes every segment longer. */
const scaled = (tokens: number, tokenScale: number): number =>
  tokenScale === 1 ? tokens : Math.round(tokens * tokenScale);

export const layoutPrompt = (segments: readonly Segment[], salt: number, tokenScale = 1): PromptLayout =>
  layoutPromptInto({ cumTokens: [], chainKeys: [], segments, tokenScale }, segments, salt, tokenScale);

/**
 * `layoutPrompt` into `layout`'s own arrays, for a caller that is done with the previous layout
 * (the provider lays out one request at a time): the arrays keep their storage, where a fresh
 * layout allocated two arrays and, at its first 52-bit key, a copy of one as doubles.
 */
export const layoutPromptInto = (layout: PromptLayout, segments: readonly Segment[], salt: number, tokenScale = 1): PromptLayout => {
  const n = segments.length;
  const { cumTokens, chainKeys } = layout;
  if (cumTokens.length !== n + 1) {
    cumTokens.length = n + 1;
    chainKeys.length = n + 1;
  }
  cumTokens[0] = 0;
  chainKeys[0] = salt;
  for (let i = 0; i < n; i++) {
    const tokens = scaled(segments[i].tokens, tokenScale);
    cumTokens[i + 1] = cumTokens[i] + tokens;
    chainKeys[i + 1] = mixKey(chainKeys[i], segments[i].hash, tokens);
  }
  layout.segments = segments;
  layout.tokenScale = tokenScale;
  return layout;
};

/** An empty layout for `layoutPromptInto` to fill. */
export const scratchLayout = (): PromptLayout => ({ cumTokens: [0], chainKeys: [0.5], segments: [], tokenScale: 1 });

export const promptTokens = (layout: PromptLayout): number => layout.cumTokens[layout.cumTokens.length - 1];

/** Index of the segment holding the token just before `tokens` (tokens ≥ 1), by binary search. */
const segmentEndingAtOrAfter = (cumTokens: number[], tokens: number): number => {
  let lo = 0;
  let hi = cumTokens.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumTokens[mid + 1] >= tokens) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

/**
 * Key of a prefix that ends `offset` tokens into segment `j` (0 < offset ≤ its length). The content
 * hash is the segment's own unless its head says what its first tokens are (types.ts SegmentHead),
 * so two segments that begin alike give the same keys as far as they agree.
 */
const keyInside = (layout: PromptLayout, j: number, offset: number): number => {
  const { cumTokens, chainKeys, segments, tokenScale } = layout;
  const segment = segments[j];
  const head = segment.head;
  if (offset === cumTokens[j + 1] - cumTokens[j]) return chainKeys[j + 1];
  if (head === undefined) return mixKey(chainKeys[j], segment.hash, offset);
  if ('shared' in head) {
    const sharedTokens = scaled(head.shared.tokens, tokenScale);
    return mixKey(chainKeys[j], offset <= sharedTokens ? head.shared.hash : segment.hash, offset);
  }
  return mixKey(chainKeys[j], head.hashAt(tokenScale === 1 ? offset : Math.round(offset / tokenScale)), offset);
};

/** Key of the first `tokens` tokens, which may end inside a segment (OpenAI's 128-token steps). */
export const keyAtTokens = (layout: PromptLayout, tokens: number): number => {
  const j = segmentEndingAtOrAfter(layout.cumTokens, tokens);
  return keyInside(layout, j, tokens - layout.cumTokens[j]);
};

/** A cacheable prefix length on the grid and its key. */
export interface GridPoint {
  tokens: number;
  key: number;
}

/**
 * Cacheable prefix lengths for automatic prefix caching (OpenAI), ascending and distinct, with
 * their keys: the points of the 128-token grid above the minimum where a prefix shared with another
 * prompt can end. A block cache has an entry at every grid point, but a shared prefix can only end
 * where two prompts stop agreeing: at a segment end, at the end of a shared head, or, in a segment
 * hashed from its text (`hashAt`), anywhere in it. So the points are each segment end rounded down
 * to the grid, each shared head's end rounded down, and every grid point inside a text-hashed
 * segment; keys are computed from the chained segment keys, each in O(1) (plus the text hash).
 */
export const automaticPoints = (layout: PromptLayout, minTokens: number, incrementTokens: number): GridPoint[] => {
  const points: GridPoint[] = [];
  const { cumTokens, segments, tokenScale } = layout;
  const floorToGrid = (tokens: number): number => minTokens + Math.floor((tokens - minTokens) / incrementTokens) * incrementTokens;
  const add = (j: number, tokens: number): void => {
    if (tokens < minTokens || tokens <= cumTokens[j]) return;
    if (points.length > 0 && points[points.length - 1].tokens >= tokens) return;
    points.push({ tokens, key: keyInside(layout, j, tokens - cumTokens[j]) });
  };
  for (let j = 0; j < segments.length; j++) {
    const start = cumTokens[j];
    const end = cumTokens[j + 1];
    if (end < minTokens) continue;
    const head = segments[j].head;
    if (head !== undefined && 'hashAt' in head) {
      const first = start < minTokens ? minTokens : floorToGrid(start) + incrementTokens;
      for (let tokens = first; tokens < end; tokens += incrementTokens) add(j, tokens);
    } else if (head !== undefined) {
      add(j, floorToGrid(Math.min(end, start + scaled(head.shared.tokens, tokenScale))));
    }
    add(j, floorToGrid(end));
  }
  return points;
};
