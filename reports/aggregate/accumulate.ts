// Per-variant accumulators fed one row at a time. Memory grows with the number of buckets, nodes,
// classes and sessions, never with the number of rows.

import * as hdr from 'hdr-histogram-js';
import { type Affinity, type EventRow, type RequestRow, totalInputTokens } from '../../core/ledger/row.ts';
import { createTotals, type TotalsAccumulator } from '../../core/ledger/totals.ts';
import { costByKindUsd } from '../../core/ledger/cost-by-kind.ts';

export interface BucketStats {
  costUsd: { input: number; cacheWrite: number; cacheRead: number; output: number };
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  requestsByClass: Map<string, number>;
  rateLimitedByClass: Map<string, number>;
  ttft: hdr.Histogram;
  ttftCount: number;
  requestsByNode: Map<number, number>;
  affinity: Record<Affinity, number>;
}

export interface SessionStats {
  readTokens: number;
  inputTokens: number;
  requests: number;
}

/** Sessions kept per variant; beyond it new sessions are counted but not charted. */
export const MAX_SESSIONS = 200_000;
/** Events kept per variant for annotations. */
export const MAX_EVENTS = 200;

export interface VariantAccumulator {
  label: string;
  scenario: string;
  startMs: number;
  bucketMs: number;
  buckets: Map<number, BucketStats>;
  sessions: Map<string, SessionStats>;
  droppedSessions: number;
  events: EventRow[];
  totals: TotalsAccumulator;
  add: (row: RequestRow | EventRow) => void;
}

const newBucket = (): BucketStats => ({
  costUsd: { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 },
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  requestsByClass: new Map(),
  rateLimitedByClass: new Map(),
  // Two significant digits: per-bucket percentiles to 1 %, at a tenth of the memory of three.
  ttft: hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 24 * 3_600_000, numberOfSignificantValueDigits: 2 }),
  ttftCount: 0,
  requestsByNode: new Map(),
  affinity: { home: 0, overflow: 0, random: 0, none: 0 },
});

const increment = <K>(map: Map<K, number>, key: K): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

export const createVariantAccumulator = (label: string, startMs: number, bucketMs: number): VariantAccumulator => {
  const buckets = new Map<number, BucketStats>();
  const sessions = new Map<string, SessionStats>();
  const events: EventRow[] = [];
  const totals = createTotals();
  const acc: VariantAccumulator = {
    label,
    scenario: '',
    startMs,
    bucketMs,
    buckets,
    sessions,
    droppedSessions: 0,
    events,
    totals,
    add: (row) => {
      if (acc.scenario === '') acc.scenario = row.scenario;
      if (row.kind === 'event') {
        if (events.length < MAX_EVENTS) events.push(row);
        return;
      }
      totals.add(row);
      const index = Math.floor((row.atMs - startMs) / bucketMs);
      let bucket = buckets.get(index);
      if (bucket === undefined) {
        bucket = newBucket();
        buckets.set(index, bucket);
      }
      const cost = costByKindUsd(row);
      bucket.costUsd.input += cost.input;
      bucket.costUsd.cacheWrite += cost.cacheWrite;
      bucket.costUsd.cacheRead += cost.cacheRead;
      bucket.costUsd.output += cost.output;
      bucket.inputTokens += row.inputTokens;
      bucket.cacheReadTokens += row.cacheReadTokens;
      bucket.cacheWriteTokens += row.cacheWriteTokens;
      increment(bucket.requestsByClass, row.class);
      if (row.status === 429) increment(bucket.rateLimitedByClass, row.class);
      if (row.status === 200) {
        bucket.ttft.recordValue(Math.max(1, Math.round(row.ttftMs)));
        bucket.ttftCount++;
      }
      if (row.node >= 0) increment(bucket.requestsByNode, row.node);
      bucket.affinity[row.affinity] = (bucket.affinity[row.affinity] ?? 0) + 1;
      if (row.session !== '' && row.status === 200) {
        // Session ids are the client's: two tenants may use the same one.
        const sessionKey = `${row.tenant}\u0000${row.session}`;
        let session = sessions.get(sessionKey);
        if (session === undefined) {
          if (sessions.size >= MAX_SESSIONS) {
            acc.droppedSessions++;
            return;
          }
          session = { readTokens: 0, inputTokens: 0, requests: 0 };
          sessions.set(sessionKey, session);
        }
        session.readTokens += row.cacheReadTokens;
        session.inputTokens += totalInputTokens(row);
        session.requests++;
      }
    },
  };
  return acc;
};
