// `summary.json`, written next to `ledger.ndjson` by every run (simulator or live). Reports read
// it, when present, for the scenario's description and expectation results; a bare ledger works
// without it.

export interface ExpectationResult {
  /** Stable id, e.g. `writes-within-1s-of-expiry`. */
  name: string;
  /** What the expectation encodes, in words. */
  description: string;
  /** The figure measured from the ledger. */
  measured: number;
  /** Human-readable bound, e.g. `>= 100`. */
  bound: string;
  pass: boolean;
  /** True when the measure had no samples (a rate over no rows): it fails, and `measured` is a placeholder. */
  noData?: boolean;
}

export interface Totals {
  requests: number;
  /** Requests answered 200. */
  ok: number;
  rateLimited: number;
  overloaded: number;
  /** Requests answered 500 (an injected internal error). */
  serverErrors: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** cacheReadTokens / (inputTokens + cacheReadTokens + cacheWriteTokens), token-weighted. */
  hitRate: number;
  costUsd: number;
  costPerRequestUsd: number;
  ttftP50Ms: number;
  ttftP95Ms: number;
  ttftP99Ms: number;
}

export interface RunSummary {
  scenario: string;
  variant: string;
  seed: string;
  description: string;
  /** Provider time the run starts at (ISO 8601, UTC). */
  startIso: string;
  durationMs: number;
  driver: 'simulator' | 'live';
  totals: Totals;
  expectations: ExpectationResult[];
}
