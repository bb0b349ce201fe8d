import type { Outcome } from '../model/types.ts';
import type { RequestRow } from './row.ts';

export interface RowContext {
  scenario: string;
  variant: string;
  tenant: string;
  session: string;
  class: string;
  attempt: number;
}

/** The ledger row for one provider outcome. Field order is fixed: it is the NDJSON column order. */
export const toRequestRow = (context: RowContext, outcome: Outcome, atMs: number): RequestRow => ({
  kind: 'request',
  atMs,
  scenario: context.scenario,
  variant: context.variant,
  tenant: context.tenant,
  session: context.session,
  class: context.class,
  model: outcome.model,
  node: outcome.node,
  affinity: outcome.affinity,
  status: outcome.status,
  inputTokens: outcome.usage.inputTokens,
  cacheReadTokens: outcome.usage.cacheReadTokens,
  cacheWriteTokens: outcome.usage.cacheWriteTokens,
  cacheWrite1hTokens: outcome.usage.cacheWrite1hTokens,
  outputTokens: outcome.usage.outputTokens,
  costUsd: outcome.costUsd,
  ttftMs: outcome.ttftMs,
  latencyMs: outcome.latencyMs,
  retryAfterMs: outcome.retryAfterMs,
  attempt: context.attempt,
});
