// The ledger: one NDJSON line per request (and one per provider event or scenario phase), written
// by every driver (simulator, mock provider) and read by every report. This file is the contract;
// the README's "Ledger columns" table defines each field once, with its unit.

import type { Affinity } from '../model/types.ts';

export { AFFINITY, type Affinity } from '../model/types.ts';

/** One request as the provider answered it. */
export interface RequestRow {
  kind: 'request';
  /** Provider time the request arrived, epoch milliseconds (UTC). */
  atMs: number;
  scenario: string;
  variant: string;
  /** Organisation (API-key owner); caches and quotas are isolated per tenant. */
  tenant: string;
  /** Client-side session id, '' when the traffic has none. */
  session: string;
  /** Traffic class: interactive, batch, warmup, neighbour ... (free text, chosen by the scenario). */
  class: string;
  /** Model version that served the request, after alias resolution. */
  model: string;
  /** Serving node index; -1 when the request was rejected before routing. */
  node: number;
  affinity: Affinity;
  /** HTTP status the provider answered with (200, 429, 529, 400 ...). */
  status: number;
  /** Input tokens neither read from nor written to the cache (Anthropic `input_tokens`). */
  inputTokens: number;
  cacheReadTokens: number;
  /** All cache-write tokens; `cacheWrite1hTokens` of them at the 1-hour TTL price. */
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Time to first token, provider milliseconds (queueing + prefill); 0 for rejected requests. */
  ttftMs: number;
  /** Arrival to last token, provider milliseconds. */
  latencyMs: number;
  /** Provider-advised wait before retrying, milliseconds; 0 when none. */
  retryAfterMs: number;
  /** 0 for the first try, n for the n-th client retry of the same request. */
  attempt: number;
}

/** A provider event (tokenizer upgrade, capacity cut ...) or a client-side scenario phase (cut-over). */
export interface EventRow {
  kind: 'event';
  atMs: number;
  scenario: string;
  variant: string;
  /** `provider` for events applied to the provider model, `phase` for scenario phases. */
  source: 'provider' | 'phase';
  name: string;
  label: string;
}

export type LedgerRow = RequestRow | EventRow;

/** The row of a provider event or a scenario phase; the one builder every driver uses. */
export const eventRow = (run: { scenario: string; variant: string }, atMs: number, source: EventRow['source'], name: string, label: string): EventRow => ({
  kind: 'event',
  atMs,
  scenario: run.scenario,
  variant: run.variant,
  source,
  name,
  label,
});

export { totalInputTokens } from '../model/types.ts';
