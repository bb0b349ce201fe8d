// A trace file → its records, whatever the format: detected from the first line (a Mooncake-style
// block trace has `hash_ids`, a request log `body`, an Azure CSV its header), then streamed line
// by line. A bad line is CC_ERR_TRACE_LINE_INVALID naming the file, the line and the field; with
// onError 'skip' it is reported and the stream goes on.

import { CachecastError } from '../../core/errors.ts';
import type { WireApi, WireDescribers } from '../../core/wire/request.ts';
import { AZURE_HEADER, parseAzureLine } from './azure-csv.ts';
import { parseBlockTraceLine } from './block-trace.ts';
import type { ReplayRecord, TraceFormat } from './record.ts';
import { defaultDescribers, lineError, type OnError, parseRequestLogLine, readLines } from './request-log.ts';

export interface RecordOptions {
  onError?: OnError;
  onSkip?: (error: CachecastError) => void;
  /** Block traces: tokens per block (default 512) and the provider time of timestamp 0. */
  blockTokens?: number;
  startMs: number;
  /** Request logs: the text describers, the profile's breakpoint limit and wire API. */
  describe?: WireDescribers;
  maxBreakpoints?: number;
  fallbackApi?: WireApi;
}

const looksLike = (text: string): TraceFormat | undefined => {
  if (text.trim() === AZURE_HEADER) return 'azure-csv';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  if ('hash_ids' in json) return 'block-trace';
  if ('body' in json) return 'request-log';
  return undefined;
};

const UNKNOWN_FORMAT =
  'is not a format cachecast replay knows: expected a block trace (JSON lines with "hash_ids"), a request log (JSON lines with "ts" and "body") or an Azure LLM inference CSV (header TIMESTAMP,ContextTokens,GeneratedTokens)';

type LineParser = (text: string, lineNumber: number) => { ok: true; record: ReplayRecord } | { ok: false; message: string };

const parserFor = (format: TraceFormat, options: RecordOptions): LineParser => {
  switch (format) {
    case 'block-trace': {
      const blockOptions = { blockTokens: options.blockTokens ?? 512, startMs: options.startMs };
      return (text, lineNumber) => parseBlockTraceLine(text, lineNumber, blockOptions);
    }
    case 'azure-csv':
      return parseAzureLine;
    case 'request-log': {
      const describe = options.describe ?? defaultDescribers();
      return (text, lineNumber) => {
        const parsed = parseRequestLogLine(text, lineNumber, describe, options.maxBreakpoints ?? 4, options.fallbackApi ?? 'anthropic-messages');
        if (!parsed.ok) return parsed;
        const { entry } = parsed;
        const record: ReplayRecord = {
          lineNumber,
          atMs: entry.ts,
          tenant: entry.tenant,
          session: entry.session,
          class: entry.class,
          model: entry.request.model,
          segments: entry.request.segments,
          outputTokens: entry.outputTokens,
        };
        if (entry.request.maxTokens !== undefined) record.maxTokens = entry.request.maxTokens;
        if (entry.request.promptCacheKey !== undefined) record.promptCacheKey = entry.request.promptCacheKey;
        if (entry.request.retention !== undefined) record.retention = entry.request.retention;
        return { ok: true, record };
      };
    }
  }
};

/** The format of a trace file, from its first non-blank line. */
export const detectFormat = async (file: string): Promise<TraceFormat> => {
  for await (const { text } of readLines(file)) {
    const format = looksLike(text);
    if (format === undefined) break;
    return format;
  }
  throw new CachecastError('CC_ERR_TRACE_UNREADABLE', `${file} ${UNKNOWN_FORMAT}`);
};

/** Streams a trace's records in file order. */
export async function* readRecords(file: string, format: TraceFormat, options: RecordOptions): AsyncGenerator<ReplayRecord> {
  const parse = parserFor(format, options);
  let first = true;
  for await (const { lineNumber, text } of readLines(file)) {
    if (first && format === 'azure-csv') {
      first = false;
      continue;
    }
    first = false;
    const parsed = parse(text, lineNumber);
    if (parsed.ok) {
      yield parsed.record;
      continue;
    }
    const error = lineError(file, lineNumber, parsed.message);
    if (options.onError !== 'skip') throw error;
    options.onSkip?.(error);
  }
}
