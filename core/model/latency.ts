// Time to first token = queueing + base + uncached tokens / prefill rate + cached tokens / load
// rate; then decode (provider-facts §5.3). A node serves `concurrency` requests at once; the
// next waits for the earliest free slot, which is how load turns into queueing (§5.2, NIM table).

import type { ProviderConfig } from './config.ts';

/** When each slot becomes free (provider ms), as a binary min-heap: the root is the earliest. */
export interface NodeSlots {
  freeAtMs: Float64Array;
}

export const createSlots = (concurrency: number): NodeSlots => ({ freeAtMs: new Float64Array(concurrency) });

export const isSaturated = (slots: NodeSlots, nowMs: number): boolean => slots.freeAtMs[0] > nowMs;

/** Replaces the root (earliest slot) with a later time and restores heap order. */
const replaceEarliest = (heap: Float64Array, freeAtMs: number): void => {
  const n = heap.length;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && heap[right] < heap[left] ? right : left;
    if (heap[child] >= freeAtMs) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = freeAtMs;
};

export interface Timing {
  queueMs: number;
  ttftMs: number;
  latencyMs: number;
}

/** Prefill and decode time for a request with no queueing. */
export const serviceTiming = (
  latency: ProviderConfig['latency'],
  uncachedTokens: number,
  cachedTokens: number,
  outputTokens: number,
): { prefillMs: number; decodeMs: number } => ({
  prefillMs:
    latency.baseMs + (uncachedTokens * 1000) / latency.prefillTokensPerSec + (cachedTokens * 1000) / latency.cachedTokensPerSec,
  decodeMs: (Math.max(0, outputTokens - 1) * 1000) / latency.decodeTokensPerSec,
});

/**
 * Takes the earliest free slot for the request and returns how long it queued: its time to first
 * token is then queueMs + prefillMs and its latency queueMs + prefillMs + decodeMs (`occupySlot`),
 * which the provider computes itself rather than allocate a Timing per request.
 */
export const occupySlotQueueMs = (slots: NodeSlots, nowMs: number, prefillMs: number, decodeMs: number): number => {
  const startMs = Math.max(nowMs, slots.freeAtMs[0]);
  replaceEarliest(slots.freeAtMs, startMs + prefillMs + decodeMs);
  return startMs - nowMs;
};

/** Takes the earliest free slot for the request and returns its timing. */
export const occupySlot = (slots: NodeSlots, nowMs: number, prefillMs: number, decodeMs: number): Timing => {
  const queueMs = occupySlotQueueMs(slots, nowMs, prefillMs, decodeMs);
  return { queueMs, ttftMs: queueMs + prefillMs, latencyMs: queueMs + prefillMs + decodeMs };
};
