// Request logs: NDJSON, one request a line, as a gateway or an SDK middleware records them:
//   {"ts": "2026-11-30T10:00:00.250Z", "body": {...Messages or Chat/Responses body...}, "tenant": "acme", "session": "s1", "class": "batch"}
// `ts` is an ISO 8601 time or epoch milliseconds. Optional: `api` (which wire API the body was
// sent to, when detection from the body could guess wrong) and `output_tokens` (the answer's
// length, when the log recorded usage).
//
// The file is read line by line (bounded memory whatever its length). Each body becomes the
// model's request through core/wire/request.ts, the same translation the mock provider's HTTP
// edge runs. A bad line is an error naming the file, the line and the field; `onError: 'skip'`
// reports it through `onSkip` and goes on, `'stop'` (the default) throws it.
//
// API, kept small because other commands (`doctor`, `trace hash`) read the same logs:
//   for await (const entry of readRequestLog(path, options)) { entry.lineNumber, entry.ts, ... }

import { z } from 'zod';
import { CachecastError } from '../../core/errors.ts';
import { describedTexts, detectWireApi, toWireRequest, WIRE_APIS, type WireApi, type WireDescribers, type WireRequest } from '../../core/wire/request.ts';
import { createTextMemo, LOG_MEMO_LIMITS } from '../../core/wire/text-memo.ts';
import { estimateTokens } from '../../core/wire/tokens.ts';
import { formatZodError } from '../../core/wire/validation.ts';
import { type LineFilter, readLineBatches } from './read-lines.ts';

export interface RequestLogEntry {
  /** 1-based line number in the file. */
  lineNumber: number;
  /** Arrival time, epoch milliseconds. */
  ts: number;
  /** '' when the line names none. */
  tenant: string;
  /** '' when the line names none. */
  session: string;
  /** 'interactive' when the line names none (the ledger's default class). */
  class: string;
  /** The wire API the body was read as (the line's `api`, or detected from the body). */
  wire: WireApi;
  /** The body as the wire API parsed it. */
  body: unknown;
  /** The model's request, from core/wire. */
  request: WireRequest;
  /** The line's `output_tokens`, when it recorded one. */
  outputTokens: number | undefined;
}

export type OnError = 'skip' | 'stop';
export const ON_ERROR_MODES: readonly OnError[] = ['skip', 'stop'];

export interface RequestLogOptions {
  /** Default 'stop': the first bad line throws. */
  onError?: OnError;
  /** Told about each skipped line (onError 'skip'), with its 1-based number. */
  onSkip?: (error: CachecastError, lineNumber: number) => void;
  /** Text → hash and tokens per wire; default: the fast estimator (≈ 4 characters a token), memoised. */
  describe?: WireDescribers;
  /** The profile's `caching.maxBreakpoints` (Anthropic bodies); default 4 (provider-facts §1.1). */
  maxBreakpoints?: number;
  /** The API of a body that carries no mark of its own; default 'anthropic-messages'. */
  fallbackApi?: WireApi;
  /** Only the lines this accepts are decoded and read (read-lines.ts LineFilter); default all. */
  keep?: LineFilter;
  /** Called when the entries of every line cut so far have been yielded (or skipped). */
  afterBatch?: () => void;
}

const TS_ERROR = 'expected epoch milliseconds or an ISO 8601 time';
const entrySchema = z.looseObject({
  ts: z.union([z.number().finite().nonnegative(), z.iso.datetime({ offset: true, error: TS_ERROR })], { error: TS_ERROR }),
  body: z.record(z.string(), z.unknown(), { error: 'expected a request body object' }),
  tenant: z.string().optional(),
  session: z.string().optional(),
  class: z.string().min(1).optional(),
  api: z.enum(WIRE_APIS).optional(),
  output_tokens: z.int().nonnegative().optional(),
});

/** The fast estimator, memoised for logs (a long text is remembered when it repeats; see text-memo.ts). */
type Entry = z.infer<typeof entrySchema>;
const isoTime = z.iso.datetime({ offset: true });
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The line itself when it is plainly what `entrySchema` accepts, checked by hand (zod's walk of the
 * line was a tenth of doctor's time); undefined otherwise, and zod checks it and names the field.
 * The body is used as parsed: zod's record copy of it holds the same keys in the same order, except
 * an own `__proto__` key, which is left to zod.
 */
const plainEntry = (json: unknown): Entry | undefined => {
  if (!isObject(json)) return undefined;
  const { ts, body, tenant, session, api, output_tokens: outputTokens } = json;
  const klass = json.class;
  if (typeof ts === 'number' ? !Number.isFinite(ts) || ts < 0 : typeof ts !== 'string' || !isoTime.safeParse(ts).success) return undefined;
  if (!isObject(body) || Object.hasOwn(body, '__proto__')) return undefined;
  if ((tenant !== undefined && typeof tenant !== 'string') || (session !== undefined && typeof session !== 'string')) return undefined;
  if (klass !== undefined && (typeof klass !== 'string' || klass.length === 0)) return undefined;
  if (api !== undefined && !(WIRE_APIS as readonly unknown[]).includes(api)) return undefined;
  if (outputTokens !== undefined && (!Number.isSafeInteger(outputTokens) || (outputTokens as number) < 0)) return undefined;
  return json as Entry;
};

export const defaultDescribers = (): WireDescribers => ({ anthropic: createTextMemo(estimateTokens, LOG_MEMO_LIMITS), openai: createTextMemo(estimateTokens, LOG_MEMO_LIMITS) });

/** The error for one line of a trace or log: `file:line: field: problem`. */
export const lineError = (file: string, lineNumber: number, message: string): CachecastError =>
  new CachecastError('CC_ERR_TRACE_LINE_INVALID', `${file}:${lineNumber}: ${message}`);

export { assertReadableFile, readLines } from './read-lines.ts';

type Parsed = { ok: true; entry: RequestLogEntry } | { ok: false; message: string };

/** A line's fields, checked, before its body is translated. */
type ReadLine = { ok: true; line: Entry; wire: WireApi } | { ok: false; message: string };

/** One line → its checked fields and the wire API of its body, or the problem, naming the field. */
const readRequestLogLine = (text: string, fallbackApi: WireApi): ReadLine => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON (${(error as Error).message})` };
  }
  let line = plainEntry(json);
  if (line === undefined) {
    const checked = entrySchema.safeParse(json);
    if (!checked.success) return { ok: false, message: formatZodError(checked.error).message };
    line = checked.data;
  }
  return { ok: true, line, wire: line.api ?? detectWireApi(line.body, fallbackApi) };
};

/** A checked line → its entry, its body translated by core/wire, or the body's problem. */
const translateRequestLogLine = (line: Entry, wire: WireApi, lineNumber: number, describe: WireDescribers, maxBreakpoints: number): Parsed => {
  const translated = toWireRequest(wire, line.body, describe, maxBreakpoints);
  if (!translated.ok) {
    const message = translated.error.param === '' ? `body: ${translated.error.message}` : `body.${translated.error.message}`;
    return { ok: false, message: `${message} (read as ${wire}; set "api" on the line if that is wrong)` };
  }
  return {
    ok: true,
    entry: {
      lineNumber,
      ts: typeof line.ts === 'number' ? line.ts : Date.parse(line.ts),
      tenant: line.tenant ?? '',
      session: line.session ?? '',
      class: line.class ?? 'interactive',
      wire,
      body: translated.body,
      request: translated.request,
      outputTokens: line.output_tokens,
    },
  };
};

/** One line → its entry, or the problem, naming the field. */
export const parseRequestLogLine = (text: string, lineNumber: number, describe: WireDescribers, maxBreakpoints: number, fallbackApi: WireApi): Parsed => {
  const read = readRequestLogLine(text, fallbackApi);
  return read.ok ? translateRequestLogLine(read.line, read.wire, lineNumber, describe, maxBreakpoints) : read;
};

/**
 * Gives each describer the long texts of the lines read (text-memo.ts `prime`), so two requests'
 * texts are hashed in one pass (text-hash.ts `hashTextPair`).
 */
const primeTexts = (reads: readonly ReadLine[], describe: WireDescribers): void => {
  const anthropic: string[] = [];
  const openai: string[] = [];
  for (const read of reads) if (read.ok) describedTexts(read.wire, read.line.body, read.wire === 'anthropic-messages' ? anthropic : openai);
  if (anthropic.length > 1) describe.anthropic.prime?.(anthropic);
  if (openai.length > 1) describe.openai.prime?.(openai);
};

/** Streams a request log's entries in file order. */
export async function* readRequestLog(file: string, options: RequestLogOptions = {}): AsyncGenerator<RequestLogEntry> {
  const describe = options.describe ?? defaultDescribers();
  const maxBreakpoints = options.maxBreakpoints ?? 4;
  const fallbackApi = options.fallbackApi ?? 'anthropic-messages';
  const reads: ReadLine[] = [];
  for await (const batch of readLineBatches(file, options.keep)) {
    // Two lines at a time: both read, their long texts hashed together, then each translated.
    for (let k = 0; k < batch.length; k += 2) {
      const pair = batch.slice(k, k + 2);
      reads.length = 0;
      for (const { text } of pair) reads.push(readRequestLogLine(text, fallbackApi));
      primeTexts(reads, describe);
      for (let j = 0; j < pair.length; j++) {
        const read = reads[j];
        const { lineNumber } = pair[j];
        const parsed = read.ok ? translateRequestLogLine(read.line, read.wire, lineNumber, describe, maxBreakpoints) : read;
        if (parsed.ok) {
          yield parsed.entry;
          continue;
        }
        const error = lineError(file, lineNumber, parsed.message);
        if (options.onError !== 'skip') throw error;
        options.onSkip?.(error, lineNumber);
      }
    }
    options.afterBatch?.();
  }
}
