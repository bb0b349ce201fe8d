// Hashed block traces, the public format of the Mooncake traces (../shared/traces/mooncake/README.md):
//   {"timestamp": 0, "input_length": 6758, "output_length": 500, "hash_ids": [0, 1, 2, ..., 13]}
// `timestamp` is ms from the trace's start, `hash_ids` one chained id per block of `blockTokens`
// tokens (512 there; the last block holds the rest of `input_length`). Each block becomes one
// segment whose hash is its id, so a shared id is a shared cacheable prefix.
//
// `cachecast trace hash` writes the same format with optional fields that keep a request log's
// shape: `block_tokens` (each id's tokens, when the blocks are a log's segments), `breakpoints`
// ([[block index, "5m" | "1h"], ...]: Anthropic cache_control), `model`, `max_tokens`, `tenant`,
// `session`, `class`, `prompt_cache_key`, `retention`.

import { CACHE_TTLS, RETENTIONS, type CacheTtl, type Retention, type Segment } from '../../core/model/types.ts';
import type { ReplayRecord } from './record.ts';

export interface BlockTraceOptions {
  /** Tokens per block when the line carries no `block_tokens`; default 512 (Mooncake). */
  blockTokens: number;
  /** Provider time of timestamp 0. */
  startMs: number;
}

type Parsed = { ok: true; record: ReplayRecord } | { ok: false; message: string };

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const optionalString = (line: Record<string, unknown>, field: string): string | undefined | Error => {
  const value = line[field];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : new Error(`${field}: expected a string`);
};

const segmentsOf = (line: Record<string, unknown>, ids: unknown[], inputTokens: number, blockTokens: number): Segment[] | string => {
  const n = ids.length;
  const tokens = line.block_tokens;
  if (tokens !== undefined && (!Array.isArray(tokens) || tokens.length !== n)) return `block_tokens: expected an array of ${n} token counts, one per hash id`;
  const segments = new Array<Segment>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (!isCount(id)) return `hash_ids.${i}: expected a non-negative integer`;
    let t: number;
    if (tokens !== undefined) {
      t = (tokens as unknown[])[i] as number;
      if (!isCount(t)) return `block_tokens.${i}: expected a non-negative integer`;
    } else t = i < n - 1 ? blockTokens : inputTokens - blockTokens * (n - 1);
    segments[i] = { hash: id, tokens: t };
    sum += t;
  }
  if (tokens === undefined && n > 0 && (segments[n - 1].tokens <= 0 || segments[n - 1].tokens > blockTokens)) {
    return `input_length: ${inputTokens} tokens is not ${n} blocks of ${blockTokens} (expected ${blockTokens * (n - 1) + 1} to ${blockTokens * n}; is the block size ${blockTokens}?)`;
  }
  if (tokens !== undefined && sum !== inputTokens) return `block_tokens: adds up to ${sum}, not input_length ${inputTokens}`;
  return segments;
};

const breakpointsOf = (line: Record<string, unknown>, segments: Segment[]): string | undefined => {
  const value = line.breakpoints;
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return 'breakpoints: expected [[block index, "5m" | "1h"], ...]';
  for (const [k, pair] of value.entries()) {
    const [index, ttl] = Array.isArray(pair) ? pair : [];
    if (!isCount(index) || index >= segments.length) return `breakpoints.${k}: expected a block index below ${segments.length}`;
    if (!(CACHE_TTLS as readonly unknown[]).includes(ttl)) return `breakpoints.${k}: expected ttl "5m" or "1h"`;
    segments[index] = { ...segments[index], breakpoint: ttl as CacheTtl };
  }
  return undefined;
};

/** One line of a block trace → its record, or the problem naming the field. */
export const parseBlockTraceLine = (text: string, lineNumber: number, options: BlockTraceOptions): Parsed => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON (${(error as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, message: 'expected a JSON object' };
  const line = json as Record<string, unknown>;
  if (typeof line.timestamp !== 'number' || !Number.isFinite(line.timestamp) || line.timestamp < 0) return { ok: false, message: 'timestamp: expected milliseconds from the start of the trace' };
  if (!isCount(line.input_length)) return { ok: false, message: 'input_length: expected a non-negative integer' };
  if (!isCount(line.output_length)) return { ok: false, message: 'output_length: expected a non-negative integer' };
  if (!Array.isArray(line.hash_ids)) return { ok: false, message: 'hash_ids: expected an array of block ids' };
  const segments = segmentsOf(line, line.hash_ids, line.input_length, options.blockTokens);
  if (typeof segments === 'string') return { ok: false, message: segments };
  const badBreakpoint = breakpointsOf(line, segments);
  if (badBreakpoint !== undefined) return { ok: false, message: badBreakpoint };
  const strings: Record<string, string | undefined> = {};
  for (const field of ['model', 'tenant', 'session', 'class', 'prompt_cache_key']) {
    const value = optionalString(line, field);
    if (value instanceof Error) return { ok: false, message: value.message };
    strings[field] = value;
  }
  if (line.max_tokens !== undefined && !isCount(line.max_tokens)) return { ok: false, message: 'max_tokens: expected a non-negative integer' };
  if (line.retention !== undefined && !(RETENTIONS as readonly unknown[]).includes(line.retention)) return { ok: false, message: `retention: expected ${RETENTIONS.join(' or ')}` };
  const record: ReplayRecord = {
    lineNumber,
    atMs: options.startMs + line.timestamp,
    tenant: strings.tenant ?? '',
    session: strings.session ?? '',
    class: strings.class ?? 'interactive',
    model: strings.model,
    segments,
    outputTokens: line.output_length,
  };
  if (line.max_tokens !== undefined) record.maxTokens = line.max_tokens as number;
  if (strings.prompt_cache_key !== undefined) record.promptCacheKey = strings.prompt_cache_key;
  if (line.retention !== undefined) record.retention = line.retention as Retention;
  return { ok: true, record };
};
