// Two requests of one tenant and model, compared on the bytes as sent: the first block where they
// part, how many prompt tokens they share before it (what a cache can read today), how many they
// share after it (what it could read if the differing part moved to the end), and whether the
// difference is content or only serialisation. Pure: no state, no prices.

import { hashString } from '../../core/model/hash.ts';
import { type Block, type RequestView, unpacked } from './request-view.ts';
import { excerptPair, wordStart } from './excerpt.ts';
import { commonPrefixBytes, commonPrefixLength, commonSuffixBytes, commonSuffixLength } from './text-diff.ts';
import { embeddedJsonMatch, keyOrderMoves, sameUpToWhitespace } from './serialisation.ts';

export interface Comparison {
  /** Index of the first block that differs (= the shorter length when one prompt extends the other). */
  index: number;
  /** Tokens before that block in the later request. */
  sharedTokens: number;
  /** Tokens both requests carry from the differing block on (its text on either side of the difference, later identical
   * blocks): what the cache could read if the differing part moved to the end. */
  recoverableTokens: number;
  /** Where and how they differ; absent when one prompt extends the other. */
  at?: DivergencePoint;
}

export interface DivergencePoint {
  path: string;
  charOffset: number;
  /** Finding key: the block and the ~20 characters before the differing word, digits folded. */
  signature: string;
  /** Serialisation only: the keys that moved, or `whitespace`. */
  fieldsMoved?: string[];
  /** The two blocks and the offset, kept only until an excerpt is needed. */
  a: Block;
  b: Block;
}

/** Index of the first block whose bytes differ. */
export const firstDifference = (a: RequestView, b: RequestView): number => {
  const n = Math.min(a.blocks.length, b.blocks.length);
  const sa = a.request.segments;
  const sb = b.request.segments;
  for (let i = 0; i < n; i++) if (a.blocks[i].rawHash !== b.blocks[i].rawHash || sa[i].tokens !== sb[i].tokens) return i;
  return n;
};

const tokensBefore = (view: RequestView, index: number): number => {
  let tokens = 0;
  for (let i = 0; i < index; i++) tokens += view.request.segments[i].tokens;
  return tokens;
};

/** Tokens of `b`'s blocks after `index` whose bytes also appear among `a`'s blocks after `index`. */
const sharedAfter = (a: RequestView, b: RequestView, index: number): number => {
  if (index + 1 >= b.blocks.length || index + 1 >= a.blocks.length) return 0;
  const seen = new Set<number>();
  for (let i = index + 1; i < a.blocks.length; i++) seen.add(a.blocks[i].rawHash);
  let tokens = 0;
  for (let i = index + 1; i < b.blocks.length; i++) if (seen.has(b.blocks[i].rawHash)) tokens += b.request.segments[i].tokens;
  return tokens;
};

const anchorOf = (text: string, offset: number): string => {
  const start = wordStart(text, offset);
  return text.slice(Math.max(0, start - 20), start).replace(/\p{N}/gu, '#');
};

/**
 * Serialisation verdicts per signature: the scan for embedded JSON runs once per place, not per
 * request. A Map, or doctor's view of one scoped to the tenant compared (diagnose.ts).
 */
export interface SerialisationMemo {
  get: (signature: string) => string[] | null | undefined;
  set: (signature: string, verdict: string[] | null) => void;
  readonly size: number;
}

const classify = (a: Block, b: Block, offset: number, signature: string, memo: SerialisationMemo): string[] | undefined => {
  let verdict = memo.get(signature);
  if (verdict === undefined) {
    const textA = unpacked(a).text;
    verdict = embeddedJsonMatch(textA, b.text, offset, a.path)?.fieldsMoved ?? (sameUpToWhitespace(textA, b.text) ? ['whitespace'] : null);
    if (memo.size < 10_000) memo.set(signature, verdict);
  }
  return verdict ?? undefined;
};

/** The current request's text as bytes one a character, in a reused buffer, when it is ASCII. */
let scratch = Buffer.allocUnsafe(0);
const asciiBytes = (text: string): Buffer | undefined => {
  if (Buffer.byteLength(text, 'utf8') !== text.length) return undefined;
  if (scratch.length < text.length) scratch = Buffer.allocUnsafe(Math.max(text.length, 64 * 1024));
  scratch.write(text, 0, 'latin1');
  return scratch.subarray(0, text.length);
};

/**
 * Where a kept block's text and the current one part, and how long a tail they share after that
 * point, compared as bytes when the kept text is packed one byte
 * a character and the current one is ASCII (no 32 kB string to unpack per request), else as strings.
 */
const partAt = (kept: Block, now: string): { prefix: number; suffix: () => number } => {
  const packed = kept.packed;
  const bytes = packed?.encoding === 'latin1' ? asciiBytes(now) : undefined;
  if (packed !== undefined && bytes !== undefined) {
    const prefix = commonPrefixBytes(packed.bytes, bytes);
    const limit = Math.min(packed.bytes.length, bytes.length) - prefix;
    return { prefix, suffix: () => commonSuffixBytes(packed.bytes, bytes, limit) };
  }
  const text = unpacked(kept).text;
  const prefix = commonPrefixLength(text, now);
  const limit = Math.min(text.length, now.length) - prefix;
  return { prefix, suffix: () => commonSuffixLength(text, now, limit) };
};

export const compareViews = (a: RequestView, b: RequestView, memo: SerialisationMemo): Comparison => {
  const index = firstDifference(a, b);
  const sharedTokens = tokensBefore(b, index);
  if (index >= a.blocks.length || index >= b.blocks.length) return { index, sharedTokens, recoverableTokens: 0 };
  // `a` is a kept request (its long texts packed), `b` usually the one being read.
  const blockA = a.blocks[index];
  const blockB = unpacked(b.blocks[index]);
  const tokensB = b.request.segments[index].tokens;
  let recoverableTokens = sharedAfter(a, b, index);
  const part = partAt(blockA, blockB.text);
  const charOffset = part.prefix;

  // A JSON block the wire renders to the same segment: only its key order moved.
  if (blockA.json !== undefined && blockB.json !== undefined && a.request.segments[index].hash === b.request.segments[index].hash) {
    const fieldsMoved = keyOrderMoves(blockA.json, blockB.json, blockA.path);
    recoverableTokens += tokensB;
    return { index, sharedTokens, recoverableTokens, at: { path: blockB.path, charOffset, signature: `${blockB.path}|json`, fieldsMoved, a: blockA, b: blockB } };
  }
  // The anchor is log text: only its hash goes into the finding's id.
  const signature = `${blockB.path}|${hashString(anchorOf(blockB.text, charOffset)).toString(36)}`;
  const fieldsMoved = classify(blockA, blockB, charOffset, signature, memo);
  if (fieldsMoved !== undefined) recoverableTokens += tokensB;
  else if (blockB.text.length > 0) {
    // The block is one segment: the text on both sides of the difference is lost with it.
    const suffix = part.suffix();
    recoverableTokens += Math.floor(((charOffset + suffix) / blockB.text.length) * tokensB);
  }
  return { index, sharedTokens, recoverableTokens, at: { path: blockB.path, charOffset, signature, ...(fieldsMoved ? { fieldsMoved } : {}), a: blockA, b: blockB } };
};

/** The excerpts of a divergence (text leaves the comparison only through here). */
export const excerptsOf = (point: DivergencePoint): { before: string; after: string } => excerptPair(unpacked(point.a).text, unpacked(point.b).text, point.charOffset);
