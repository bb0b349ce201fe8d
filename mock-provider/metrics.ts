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

  // Label children are looked up once per (organisation, node): prom-client hashes label sets
  // on every inc() otherwise, which is most of the cost of a row.
  interface Children {
    tokens: Array<{ inc: (n: number) => void }>;
    cost: { inc: (n: number) => void };
    overloaded: { inc: () => void };
    ttft: { observe: (v: number) => void };
    rateLimited: { inc: () => void };
    prompt: { read: number; all: number };
    requests: Map<string, { inc: () => void }>;
  }
  const children = new Map<string, Children>();
  const childrenFor = (organisation: string, node: string): Children => {
    const id = `${organisation}\u0000${node}`;
    let c = children.get(id);
    if (c === undefined) {
      let p = prompt.get(organisation);
      if (p === undefined) {
        p = { read: 0, all: 0 };
        prompt.set(organisation, p);
      }
      c = {
        tokens: TOKEN_KINDS.map((kind) => tokens.labels({ organisation, node, kind })),
        cost: cost.labels({ organisation, node }),
        overloaded: overloaded.labels({ organisation, node }),
        ttft: ttft.labels({ organisation, node }),
        rateLimited: rateLimited.labels({ organisation }),
        prompt: p,
        requests: new Map(),
      };
      children.set(id, c);
    }
    return c;
  };

  const record = (row: LedgerRow): void => {
    if (row.kind !== 'request') return;
    const c = childrenFor(row.tenant, String(row.node));
    const requestId = `${row.model}\u0000${row.status}`;
    let counter = c.requests.get(requestId);
    if (counter === undefined) {
      counter = requests.labels({ organisation: row.tenant, node: String(row.node), model: row.model, status: String(row.status) });
      c.requests.set(requestId, counter);
    }
    counter.inc();
    const counts = [row.inputTokens, row.cacheReadTokens, row.cacheWriteTokens, row.outputTokens];
    for (let i = 0; i < counts.length; i++) if (counts[i] > 0) c.tokens[i].inc(counts[i]);
    if (row.costUsd > 0) c.cost.inc(row.costUsd);
    if (row.status === 429) c.rateLimited.inc();
    if (row.status === 529) c.overloaded.inc();
    if (row.status === 200) c.ttft.observe(row.ttftMs / 1000);
    c.prompt.read += row.cacheReadTokens;
    c.prompt.all += row.inputTokens + row.cacheReadTokens + row.cacheWriteTokens;
  };

  return {
    registry,
    record,
    reset: () => {
      registry.resetMetrics();
      prompt.clear();
      children.clear();
    },
  };
};
