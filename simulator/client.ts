// The client side of one request: send it to the provider model, write its row, and retry a 429
// or a server error when the scenario's client does so (scenarios/kit/retry.ts).

import type { ClientBehaviour, ScenarioRequest } from '../scenarios/kit/format.ts';
import type { LedgerRow } from '../core/ledger/row.ts';
import { type RowContext, toRequestRow } from '../core/ledger/to-row.ts';
import type { SimEvent } from './engine/engine.ts';
import { handleRequest, type ProviderState } from '../core/model/provider.ts';
import type { Rng } from '../core/model/rng.ts';
import { retryWaitMs } from '../scenarios/kit/retry.ts';
import { retryStream } from '../core/random/streams.ts';

export interface RunContext {
  seed: string;
  scenario: string;
  variant: string;
  startMs: number;
  /** No new iteration or retry starts at or after this time. */
  endMs: number;
  provider: ProviderState;
  providerRng: Rng;
  emit: (row: LedgerRow) => void;
  /** The request as the provider sees it (RunOptions.keys); the request itself when undefined. */
  asSent?: (request: ScenarioRequest) => ScenarioRequest;
}

export const PRIORITY = { providerEvent: 0, phase: 1, arrival: 2 } as const;

/** Follow-ups once the client has its final answer, at `doneAtMs`. */
export type OnDone = (doneAtMs: number) => SimEvent[] | undefined;

/**
 * Where an attempt comes from, as data, so a pending retry can be written into a snapshot and
 * rebuilt: the iteration's start (the builder is pure, so it rebuilds the same request) and, for
 * a VU, which VU and how many iterations it had started (what `onDone` continues).
 */
export interface AttemptOrigin {
  iterationAtMs: number;
  vu?: { vu: number; done: number };
}

// The row's context, filled for each attempt: toRequestRow copies it into the row, so one object serves them all.
const ROW_CONTEXT: RowContext = { scenario: '', variant: '', tenant: '', session: '', class: '', attempt: 0 };

export const sendAttempt = (
  context: RunContext,
  trafficName: string,
  client: ClientBehaviour | undefined,
  iteration: number,
  request: ScenarioRequest,
  attempt: number,
  nowMs: number,
  iterationAtMs: number,
  vu: AttemptOrigin['vu'],
  onDone?: OnDone,
): SimEvent[] | undefined => {
  const outcome = handleRequest(context.provider, context.asSent === undefined ? request : context.asSent(request), nowMs, context.providerRng);
  const row = ROW_CONTEXT;
  row.scenario = context.scenario;
  row.variant = context.variant;
  row.tenant = request.tenant;
  row.session = request.session ?? '';
  row.class = request.class ?? 'interactive';
  row.attempt = attempt;
  context.emit(toRequestRow(row, outcome, nowMs));
  // A client that never retries (most traffic) costs no closure per request.
  const waitMs =
    client === undefined
      ? undefined
      : retryWaitMs(client, outcome.status, attempt, outcome.retryAfterMs, () => retryStream(context.seed, trafficName, iteration, attempt));
  if (waitMs !== undefined) {
    // The client sees the answer when it completes: a refusal at once, an injected error after its latency.
    const retryAtMs = nowMs + outcome.latencyMs + waitMs;
    // The origin as data only for a retry: most attempts have none, and build no object for it.
    const origin: AttemptOrigin = vu === undefined ? { iterationAtMs } : { iterationAtMs, vu };
    if (retryAtMs < context.endMs) return [retryEvent(context, trafficName, client, iteration, request, attempt + 1, retryAtMs, origin, onDone)];
  }
  return onDone?.(nowMs + outcome.latencyMs);
};

/** Attempt `attempt` of an iteration, at `atMs`: a retry, pending until then. */
export const retryEvent = (
  context: RunContext,
  trafficName: string,
  client: ClientBehaviour | undefined,
  iteration: number,
  request: ScenarioRequest,
  attempt: number,
  atMs: number,
  origin: AttemptOrigin,
  onDone?: OnDone,
): SimEvent => ({
  atMs,
  priority: PRIORITY.arrival,
  tag: { kind: 'retry', traffic: trafficName, k: iteration, attempt, ...origin },
  run: (at) => sendAttempt(context, trafficName, client, iteration, request, attempt, at, origin.iterationAtMs, origin.vu, onDone),
});
