// Real Anthropic request text → the model's segments, once, at the edge: one segment per content
// block in the provider's order (each tool, each system block, each message's blocks), carrying
// that block's `cache_control` as a breakpoint. A string `content` or `system` is one text block,
// so it hashes the same as the equivalent one-block array. `cache_control` itself is not hashed:
// moving a breakpoint does not change the prefix bytes (provider-facts §1.2).

import { hashString, mixKey, type CacheTtl, type Segment } from '../../model/index.ts';
import { canonicalJson } from '../canonical.ts';
import type { DescribeText } from '../text-memo.ts';
import type { CacheControl, MessagesRequest } from './parse.ts';
import type { FieldError } from '../validation.ts';

const ttlOf = (control: CacheControl | null | undefined): CacheTtl | undefined =>
  control === null || control === undefined ? undefined : (control.ttl ?? '5m');

// Few distinct roles and kinds: their hashes are computed once.
const prefixHashes = new Map<string, number>();
const prefixHash = (prefix: string): number => {
  let hash = prefixHashes.get(prefix);
  if (hash === undefined) {
    hash = hashString(prefix);
    prefixHashes.set(prefix, hash);
  }
  return hash;
};

const withoutCacheControl = (value: Record<string, unknown>): Record<string, unknown> => {
  const { cache_control: _ignored, ...rest } = value;
  return rest;
};

// Role and text are hashed apart and mixed, so a long text is hashed (and counted) once however
// many requests repeat it.
const textSegment = (role: string, text: string, describe: DescribeText, breakpoint: CacheTtl | undefined): Segment => {
  const facts = describe(text);
  const segment: Segment = { hash: mixKey(prefixHash(`${role}\u0000text`), facts.hash, 0), tokens: facts.tokens };
  if (breakpoint !== undefined) segment.breakpoint = breakpoint;
  return segment;
};

const blockSegment = (role: string, block: Record<string, unknown>, describe: DescribeText): Segment => {
  const breakpoint = ttlOf(block.cache_control as CacheControl | null | undefined);
  if (block.type === 'text' && typeof block.text === 'string') return textSegment(role, block.text, describe, breakpoint);
  const facts = describe(canonicalJson(withoutCacheControl(block)));
  const segment: Segment = { hash: mixKey(prefixHash(`${role}\u0000block`), facts.hash, 0), tokens: facts.tokens };
  if (breakpoint !== undefined) segment.breakpoint = breakpoint;
  // A run of tool_use blocks, or of tool_result blocks, is one lookback position (provider-facts §1.4).
  if (block.type === 'tool_use' || block.type === 'tool_result') segment.group = block.type;
  return segment;
};

export type SegmentsResult = { ok: true; segments: Segment[] } | { ok: false; error: FieldError };

/** The prompt fields of a Messages or count_tokens body. */
export type AnthropicPrompt = Pick<MessagesRequest, 'tools' | 'system' | 'messages' | 'cache_control'>;

export const anthropicSegments = (body: AnthropicPrompt, describe: DescribeText, maxBreakpoints: number): SegmentsResult => {
  const segments: Segment[] = [];
  for (const tool of body.tools ?? []) segments.push(blockSegment('tool', tool, describe));
  if (typeof body.system === 'string') segments.push(textSegment('system', body.system, describe, undefined));
  else for (const block of body.system ?? []) segments.push(blockSegment('system', block, describe));
  for (const message of body.messages) {
    if (typeof message.content === 'string') segments.push(textSegment(message.role, message.content, describe, undefined));
    else for (const block of message.content) segments.push(blockSegment(message.role, block, describe));
  }
  const automatic = ttlOf(body.cache_control);
  return automatic === undefined ? { ok: true, segments } : applyAutomaticCaching(segments, automatic, maxBreakpoints);
};

/**
 * Top-level `cache_control`: the breakpoint goes on the last block (provider-facts §1.1). Same TTL
 * already there: no-op; a different TTL there, or no slot left after the explicit breakpoints: 400.
 */
const applyAutomaticCaching = (segments: Segment[], ttl: CacheTtl, maxBreakpoints: number): SegmentsResult => {
  const last = segments[segments.length - 1];
  if (last === undefined) return { ok: true, segments };
  if (last.breakpoint !== undefined) {
    if (last.breakpoint === ttl) return { ok: true, segments };
    return {
      ok: false,
      error: { message: `cache_control: the last block already has cache_control with ttl '${last.breakpoint}', which differs from the top-level ttl '${ttl}'`, param: 'cache_control' },
    };
  }
  const explicit = segments.filter((s) => s.breakpoint !== undefined).length;
  if (explicit >= maxBreakpoints) {
    return {
      ok: false,
      error: { message: `cache_control: automatic caching needs a free breakpoint slot, but ${explicit} blocks already have cache_control`, param: 'cache_control' },
    };
  }
  segments[segments.length - 1] = { ...last, breakpoint: ttl };
  return { ok: true, segments };
};
