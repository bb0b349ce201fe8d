// Runs a recorded trace through the provider model: the same model, ledger rows and run summary
// as `cachecast run`, with the arrivals taken from the file instead of a scenario's executors.
// Records are handled in file order, one `handleRequest` each, with no client retries (a recorded
// retry is its own line); nothing proportional to the trace is kept.

import { basename } from 'node:path';
import { CachecastError } from '../../core/errors.ts';
import type { LedgerRow } from '../../core/ledger/row.ts';
import type { RunSummary } from '../../core/ledger/run-summary.ts';
import { toRequestRow } from '../../core/ledger/to-row.ts';
import { createTotals } from '../../core/ledger/totals.ts';
import type { ProviderConfig } from '../../core/model/config.ts';
import { createProvider, handleRequest } from '../../core/model/provider.ts';
import type { Segment } from '../../core/model/types.ts';
import { stream } from '../../core/random/streams.ts';
import type { WireDescribers } from '../../core/wire/request.ts';
import { DEFAULT_START_AT } from '../../scenarios/kit/format.ts';
import { TIME_FIELD, type ReplayRecord, type TraceFormat } from './record.ts';
import { detectFormat, readRecords } from './records.ts';
import { lineError, type OnError } from './request-log.ts';

/** Output tokens of a request whose trace recorded none: the mock provider's default (mock-provider/options.ts). */
export const DEFAULT_OUTPUT_TOKENS = 200;

export interface ReplayOptions {
  file: string;
  /** The provider config, profile and overrides merged and validated. */
  config: ProviderConfig;
  seed?: string;
  /** Ledger `scenario` and `variant` columns; default: the file's name and the profile. */
  scenario?: string;
  variant?: string;
  /** Detected from the file when absent. */
  format?: TraceFormat;
  /** Block traces: tokens per block (default 512, Mooncake's). */
  blockTokens?: number;
  /** Model for traces that record none; default: the profile's first model. */
  model?: string;
  /** Provider time of a block trace's timestamp 0; default the scenarios' start (2026-01-05). */
  startMs?: number;
  /** Arrival-rate multiplier: a trace's gaps are divided by it (2 = the same requests in half the time). */
  trafficScale?: number;
  onError?: OnError;
  onSkip?: (error: CachecastError) => void;
  describe?: WireDescribers;
  sink?: (row: LedgerRow) => void;
  drain?: () => Promise<void>;
  onProgress?: (requests: number) => void;
}

const DRAIN_EVERY = 20_000;

/**
 * Anthropic caches only at breakpoints: a block trace without them gets one where automatic caching
 * would put it (provider-facts §1.1), at the end of the prompt, moved back to the last full
 * block: a partial last block's id never recurs (the next turn fills that block with more tokens,
 * a new id), while the full block before it is what the next turn's prefix contains.
 */
const withAutomaticBreakpoint = (segments: Segment[], blockTokens: number): Segment[] => {
  if (segments.length === 0 || segments.some((s) => s.breakpoint !== undefined)) return segments;
  let at = segments.length - 1;
  if (segments[at].tokens < blockTokens && at > 0) at--;
  const copy = segments.slice();
  copy[at] = { ...segments[at], breakpoint: '5m' };
  return copy;
};

export const replayTrace = async (options: ReplayOptions): Promise<RunSummary> => {
  const { file, config } = options;
  const seed = options.seed ?? 'replay';
  const format = options.format ?? (await detectFormat(file));
  const scenario = options.scenario ?? basename(file);
  const variant = options.variant ?? config.profile;
  const model = options.model ?? Object.keys(config.models)[0];
  const scale = options.trafficScale ?? 1;
  if (!(scale > 0)) throw new CachecastError('CC_ERR_USAGE', `traffic scale must be a positive number, got ${scale}`);
  const autoBreakpoint = config.caching.mode === 'breakpoints' && format === 'block-trace';
  const provider = createProvider(config);
  const providerRng = stream(seed, 'provider');
  const totals = createTotals();
  const startMs = options.startMs ?? Date.parse(DEFAULT_START_AT);
  const records = readRecords(file, format, {
    onError: options.onError,
    onSkip: options.onSkip,
    blockTokens: options.blockTokens,
    startMs,
    describe: options.describe,
    maxBreakpoints: config.caching.maxBreakpoints,
    fallbackApi: config.wire === 'openai' ? 'openai-chat' : 'anthropic-messages',
  });

  let firstMs: number | undefined;
  let lastMs = Number.NEGATIVE_INFINITY;
  let count = 0;
  const context = { scenario, variant, tenant: '', session: '', class: '', attempt: 0 };
  const handle = (record: ReplayRecord): void => {
    firstMs ??= record.atMs;
    const atMs = scale === 1 ? record.atMs : firstMs + (record.atMs - firstMs) / scale;
    const outcome = handleRequest(
      provider,
      {
        tenant: record.tenant,
        model: record.model ?? model,
        segments: autoBreakpoint ? withAutomaticBreakpoint(record.segments, options.blockTokens ?? 512) : record.segments,
        outputTokens: record.outputTokens ?? DEFAULT_OUTPUT_TOKENS,
        maxTokens: record.maxTokens,
        promptCacheKey: record.promptCacheKey,
        retention: record.retention,
      },
      atMs,
      providerRng,
    );
    context.tenant = record.tenant;
    context.session = record.session;
    context.class = record.class;
    const row = toRequestRow(context, outcome, atMs);
    totals.add(row);
    options.sink?.(row);
    lastMs = atMs;
  };

  for await (const record of records) {
    if (record.atMs < lastMs && (scale === 1 || firstMs === undefined || firstMs + (record.atMs - firstMs) / scale < lastMs)) {
      const error = lineError(file, record.lineNumber, `${TIME_FIELD[format]}: goes back in time (${new Date(record.atMs).toISOString()} after ${new Date(lastMs).toISOString()}); replay needs the lines in time order (sort the file by it)`);
      if (options.onError !== 'skip') throw error;
      options.onSkip?.(error);
      continue;
    }
    handle(record);
    if (++count % DRAIN_EVERY === 0) {
      options.onProgress?.(count);
      if (options.drain) await options.drain();
    }
  }
  options.onProgress?.(count);

  const begin = firstMs ?? startMs;
  return {
    scenario,
    variant,
    seed,
    description: `Replay of ${basename(file)} (${format}, ${count.toLocaleString('en-US')} requests) on the ${config.profile} profile.`,
    startIso: new Date(begin).toISOString(),
    durationMs: Math.max(0, (Number.isFinite(lastMs) ? lastMs : begin) - begin),
    driver: 'simulator',
    totals: totals.totals(),
    expectations: [],
  };
};
