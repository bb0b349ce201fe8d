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

export const layoutPrompt = (segments: readonly Segment[], salt: number, tokenScale = 1): PromptLayout => {
  const n = segments.length;
  const cumTokens = new Array<number>(n + 1);
  const chainKeys = new Array<number>(n + 1);
  cumTokens[0] = 0;
  chainKeys[0] = salt;
  for (let i = 0; i < n; i++) {
    const tokens = scaled(segments[i].tokens, tokenScale);
    cumTokens[i + 1] = cumTokens[i] + tokens;
    chainKeys[i + 1] = mixKey(chainKeys[i], segments[i].hash, tokens);
  }
  return { cumTokens, chainKeys, segments, tokenScale };
};

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

/** Key of the first `tokens` tokens, which may end inside a segment (OpenAI's 128-token steps). */
export const keyAtTokens = (layout: PromptLayout, tokens: number): number => {
  const { cumTokens, chainKeys, segments } = layout;
  const j = segmentEndingAtOrAfter(cumTokens, tokens);
  const offset = tokens - cumTokens[j];
  return offset === cumTokens[j + 1] - cumTokens[j] ? chainKeys[j + 1] : mixKey(chainKeys[j], segments[j].hash, offset);
};

/**
 * Cacheable prefix lengths for automatic prefix caching (OpenAI): each segment end rounded down to
 * the 128-token grid, at or above the minimum, ascending and distinct. A prefix shared with an
 * earlier prompt can only end where both prompts have the same segments, so probing these
 * points (one per segment) finds the longest cached prefix without hashing every 128-token block.
 */
export const automaticPoints = (layout: PromptLayout, minTokens: number, incrementTokens: number): number[] => {
  const points: number[] = [];
  const { cumTokens } = layout;
  for (let i = 1; i < cumTokens.length; i++) {
    const end = cumTokens[i];
    if (end < minTokens) continue;
    const point = minTokens + Math.floor((end - minTokens) / incrementTokens) * incrementTokens;
    if (points.length === 0 || points[points.length - 1] < point) points.push(point);
  }
  return points;
};
