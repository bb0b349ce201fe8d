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

// The ledger records times to the microsecond and costs to 10^-10 USD: finer digits carry no
// information a report can show, and cutting them makes lines a quarter shorter and faster to
// write (number formatting of long fractions was the costliest part of writing a row).
const micro = (ms: number): number => Math.round(ms * 1_000) / 1_000;
const usd = (value: number): number => Math.round(value * 1e10) / 1e10;

/** The ledger row for one provider outcome. Field order is fixed: it is the NDJSON column order. */
export const toRequestRow = (context: RowContext, outcome: Outcome, atMs: number): RequestRow => ({
  kind: 'request',
  atMs: micro(atMs),
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
  costUsd: usd(outcome.costUsd),
  ttftMs: micro(outcome.ttftMs),
  latencyMs: micro(outcome.latencyMs),
  retryAfterMs: micro(outcome.retryAfterMs),
  attempt: context.attempt,
});
