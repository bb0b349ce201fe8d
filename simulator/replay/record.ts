// What every trace reader yields: one recorded request, ready for the provider model. The readers
// differ only in how a line becomes this (block-trace.ts, azure-csv.ts, request-log.ts).

import type { Retention, Segment } from '../../core/model/types.ts';

export interface ReplayRecord {
  /** 1-based line number in the file, for error messages. */
  lineNumber: number;
  /** Arrival, provider time (epoch ms). */
  atMs: number;
  tenant: string;
  session: string;
  class: string;
  /** undefined: the profile's default model (traces that record none). */
  model: string | undefined;
  segments: Segment[];
  maxTokens?: number;
  promptCacheKey?: string;
  retention?: Retention;
  /** The answer's length as recorded; undefined: the replay's default. */
  outputTokens: number | undefined;
}

/** Which field of the line holds the arrival time, for "time goes back" errors. */
export const TIME_FIELD = { 'block-trace': 'timestamp', 'azure-csv': 'TIMESTAMP', 'request-log': 'ts' } as const;
export type TraceFormat = keyof typeof TIME_FIELD;
export const TRACE_FORMATS = Object.keys(TIME_FIELD) as TraceFormat[];
