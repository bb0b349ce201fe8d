// `cachecast doctor` on a request-log file, on this thread: the request-log reader streams the
// entries (core/wire translates each body) into one doctor. The parallel path (parallel.ts) runs
// the same pieces on shards of the tenants and gives the same report.

import type { DoctorReport } from '../../core/ledger/doctor-report.ts';
import type { WireApi, WireDescribers } from '../../core/wire/request.ts';
import { createTextMemo, LOG_MEMO_LIMITS } from '../../core/wire/text-memo.ts';
import { createTokenCounter, type TokenizerKind } from '../../core/wire/tokens.ts';
import { type OnError, readRequestLog } from '../replay/request-log.ts';
import { createDoctor, type DoctorOptions } from './diagnose.ts';

/** How the log's lines are read: what the request-log reader needs besides the file. */
export interface DoctorRead {
  tokenizer: TokenizerKind;
  onError: OnError;
  /** The profile's `caching.maxBreakpoints`. */
  maxBreakpoints: number;
  /** The wire API of a body with no mark of its own (the profile's). */
  fallbackApi: WireApi;
}

export interface DoctorFileOptions {
  doctor: DoctorOptions;
  read: DoctorRead;
  /** Told the number of requests read, now and then (every 100,000 lines on this thread). */
  onProgress?: (requests: number) => void;
}

/** Text → hash and tokens for each wire API, with the tokenizer asked for (memoised for logs). */
export const describersFor = async (tokenizer: TokenizerKind): Promise<WireDescribers> => {
  const counters = { anthropic: await createTokenCounter(tokenizer, 'cl100k_base'), openai: await createTokenCounter(tokenizer, 'o200k_base') };
  return { anthropic: createTextMemo(counters.anthropic, LOG_MEMO_LIMITS), openai: createTextMemo(counters.openai, LOG_MEMO_LIMITS) };
};

/** The report of one doctor reading the whole file. */
export const diagnoseFileSerial = async (file: string, options: DoctorFileOptions): Promise<DoctorReport> => {
  const doctor = createDoctor(options.doctor);
  const entries = readRequestLog(file, {
    onError: options.read.onError,
    onSkip: (error) => doctor.skip(error.message),
    describe: await describersFor(options.read.tokenizer),
    maxBreakpoints: options.read.maxBreakpoints,
    fallbackApi: options.read.fallbackApi,
  });
  let lines = 0;
  for await (const entry of entries) {
    doctor.add(entry);
    if (++lines % 100_000 === 0) options.onProgress?.(lines);
  }
  return doctor.finish();
};
