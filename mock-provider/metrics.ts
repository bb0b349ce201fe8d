// Prometheus metrics for GET /metrics, one registry per app (never prom-client's global one), so
// tests can build several apps in one process. Every figure is derived from ledger rows: the
// metrics listen to the ledger, they do not measure anything the ledger does not say.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LedgerRow } from '../simulator/ledger/row.ts';

export interface Metrics {
  registry: Registry;
  record: (row: LedgerRow) => void;
  reset: () => void;
}

const TOKEN_KINDS = ['input', 'cache_read', 'cache_write', 'output'] as const;

export const createMetrics = (): Metrics => {
  const registry = new Registry();
  const requests = new Counter({
    name: 'cachecast_requests_total',
    help: 'Model requests answered, by organisation, node (-1: rejected before routing), model and HTTP status.',
    labelNames: ['organisation', 'node', 'model', 'status'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'cachecast_tokens_total',
    help: 'Tokens by kind: input (uncached), cache_read, cache_write, output.',
    labelNames: ['organisation', 'node', 'kind'] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: 'cachecast_cost_usd_total',
    help: 'Cost of answered requests at the profile price table, USD.',
    labelNames: ['organisation', 'node'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'cachecast_rate_limited_total',
    help: 'Requests refused with 429 by a quota.',
    labelNames: ['organisation'] as const,
    registers: [registry],
  });
  const overloaded = new Counter({
    name: 'cachecast_overloaded_total',
    help: 'Requests answered with an overload (529; 503 on the OpenAI wire), by node (-1: before routing).',
    labelNames: ['organisation', 'node'] as const,
    registers: [registry],
  });
  const ttft = new Histogram({
    name: 'cachecast_ttft_seconds',
    help: 'Time to first token of answered requests, provider seconds (queueing + prefill).',
    labelNames: ['organisation', 'node'] as const,
    buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30, 60],
    registers: [registry],
  });
  // Token-weighted hit ratio per organisation: cache reads / all prompt tokens, since start.
  const prompt = new Map<string, { read: number; all: number }>();
  new Gauge({
    name: 'cachecast_cache_hit_ratio',
    help: 'Cache-read tokens / all prompt tokens (input + cache read + cache write), per organisation, since start or reset.',
    labelNames: ['organisation'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [organisation, t] of prompt) this.set({ organisation }, t.all === 0 ? 0 : t.read / t.all);
    },
  });

  const record = (row: LedgerRow): void => {
    if (row.kind !== 'request') return;
    const organisation = row.tenant;
    const node = String(row.node);
    requests.inc({ organisation, node, model: row.model, status: String(row.status) });
    const counts = [row.inputTokens, row.cacheReadTokens, row.cacheWriteTokens, row.outputTokens];
    TOKEN_KINDS.forEach((kind, i) => {
      if (counts[i] > 0) tokens.inc({ organisation, node, kind }, counts[i]);
    });
    if (row.costUsd > 0) cost.inc({ organisation, node }, row.costUsd);
    if (row.status === 429) rateLimited.inc({ organisation });
    if (row.status === 529) overloaded.inc({ organisation, node });
    if (row.status === 200) ttft.observe({ organisation, node }, row.ttftMs / 1000);
    const p = prompt.get(organisation) ?? { read: 0, all: 0 };
    p.read += row.cacheReadTokens;
    p.all += row.inputTokens + row.cacheReadTokens + row.cacheWriteTokens;
    prompt.set(organisation, p);
  };

  return {
    registry,
    record,
    reset: () => {
      registry.resetMetrics();
      prompt.clear();
    },
  };
};
