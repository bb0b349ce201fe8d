// `cachecast trace hash`: a request log → a hashed block trace with no text in it, so a team can
// share the shape of its traffic without its prompts. Each segment becomes one block whose id is a
// keyed hash (HMAC-SHA-256 with a random salt that is never written) of the previous block's id,
// the segment's content hash and its tokens: ids are chained, as in the Mooncake traces, so two
// requests share an id exactly when they share that whole prefix. Tenants, sessions and
// prompt_cache_keys are hashed the same way; model, lengths, breakpoints and times are kept.
// Replaying the hashed trace therefore reads and writes the cache exactly as the log does.

import { createHmac, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CachecastError } from '../../core/errors.ts';
import type { WireApi, WireDescribers } from '../../core/wire/request.ts';
import { DEFAULT_OUTPUT_TOKENS } from './replay.ts';
import { type OnError, readRequestLog } from './request-log.ts';

export interface TraceHashOptions {
  /** Default: 32 fresh random bytes, forgotten when the function returns. */
  salt?: Buffer;
  onError?: OnError;
  onSkip?: (error: CachecastError) => void;
  describe?: WireDescribers;
  maxBreakpoints?: number;
  fallbackApi?: WireApi;
}

/** A 48-bit integer (exact in JSON) from the keyed hash of `text`. */
const keyed = (salt: Buffer, text: string): number => createHmac('sha256', salt).update(text).digest().readUIntBE(0, 6);
const label = (salt: Buffer, kind: string, text: string): string => `${kind}-${keyed(salt, `${kind}\u0000${text}`).toString(16).padStart(12, '0')}`;

/** Writes the hashed trace; returns the number of requests written. */
export const hashRequestLog = async (logFile: string, outFile: string, options: TraceHashOptions = {}): Promise<number> => {
  const salt = options.salt ?? randomBytes(32);
  const out = createWriteStream(outFile, { encoding: 'utf8' });
  let firstMs: number | undefined;
  let count = 0;
  try {
    for await (const entry of readRequestLog(logFile, options)) {
      firstMs ??= entry.ts;
      const { request } = entry;
      const hashIds: number[] = [];
      const blockTokens: number[] = [];
      const breakpoints: Array<[number, string]> = [];
      let previous = 0;
      for (const [i, segment] of request.segments.entries()) {
        previous = keyed(salt, `${previous}|${segment.hash}|${segment.tokens}`);
        hashIds.push(previous);
        blockTokens.push(segment.tokens);
        if (segment.breakpoint !== undefined) breakpoints.push([i, segment.breakpoint]);
      }
      const line: Record<string, unknown> = {
        timestamp: entry.ts - firstMs,
        input_length: blockTokens.reduce((sum, t) => sum + t, 0),
        output_length: entry.outputTokens ?? DEFAULT_OUTPUT_TOKENS,
        hash_ids: hashIds,
        block_tokens: blockTokens,
        model: request.model,
        class: entry.class,
      };
      if (breakpoints.length > 0) line.breakpoints = breakpoints;
      if (request.maxTokens !== undefined) line.max_tokens = request.maxTokens;
      if (entry.tenant !== '') line.tenant = label(salt, 't', entry.tenant);
      if (entry.session !== '') line.session = label(salt, 's', entry.session);
      if (request.promptCacheKey !== undefined) line.prompt_cache_key = label(salt, 'k', request.promptCacheKey);
      if (request.retention !== undefined) line.retention = request.retention;
      if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
      count++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
};
