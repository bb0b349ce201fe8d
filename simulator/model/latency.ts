// Time to first token = queueing + base + uncached tokens / prefill rate + cached tokens / load
// rate; then decode (provider-facts §5.3). A node serves `concurrency` requests at once; the
// next waits for the earliest free slot, which is how load turns into queueing (§5.2, NIM table).

import type { ProviderConfig } from './config.ts';

export interface NodeSlots {
  /** When each slot becomes free, provider ms. */
  freeAtMs: Float64Array;
}

export const createSlots = (concurrency: number): NodeSlots => ({ freeAtMs: new Float64Array(concurrency) });

const earliestSlot = (slots: NodeSlots): number => {
  const free = slots.freeAtMs;
  let best = 0;
  for (let i = 1; i < free.length; i++) if (free[i] < free[best]) best = i;
  return best;
};

export const isSaturated = (slots: NodeSlots, nowMs: number): boolean => slots.freeAtMs[earliestSlot(slots)] > nowMs;

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

/** Takes the earliest free slot for the request and returns its timing. */
export const occupySlot = (slots: NodeSlots, nowMs: number, prefillMs: number, decodeMs: number): Timing => {
  const slot = earliestSlot(slots);
  const startMs = Math.max(nowMs, slots.freeAtMs[slot]);
  const queueMs = startMs - nowMs;
  slots.freeAtMs[slot] = startMs + prefillMs + decodeMs;
  return { queueMs, ttftMs: queueMs + prefillMs, latencyMs: queueMs + prefillMs + decodeMs };
};
