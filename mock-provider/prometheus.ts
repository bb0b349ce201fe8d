// Prometheus metrics for GET /metrics, one registry per app (never prom-client's global one), so
// tests can build several apps in one process. Every figure is derived from ledger rows: the
// metrics listen to the ledger, they do not measure anything the ledger does not say (but for
// the two organisation counts, read from the tenant book).
//
// Label cardinality is bounded: the first `maxOrganisations` organisations to send a request get
// their own label, every later one is summed under organisation="other". First come rather than
// the current top N, because a counter must never go down: an organisation leaving a top N would
// take its counts out of "other" again. 100,000 fresh keys made one scrape 157 MB and 16 s (issue
// 16, item 3); a rehearsal has a handful of tenants, which all keep their names.

import { Counter, Gauge, Registry } from 'prom-client';
import { type LedgerRow, totalInputTokens } from '../core/ledger/row.ts';
import type { TenantBook } from './tenants.ts';
import { createCountedHistogram } from './ttft-histogram.ts';

export interface Metrics {
  registry: Registry;
  record: (row: LedgerRow) => void;
  reset: () => void;
}

const TOKEN_KINDS = ['input', 'cache_read', 'cache_write', 'output'] as const;

export const OTHER_ORGANISATIONS = 'other';

/** TTFT histogram bounds, seconds. */
export const TTFT_BUCKETS_S = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30, 60] as const;

export interface MetricsOptions {
  /** Organisations named in labels; later ones count as `other`. */
  maxOrganisations: number;
  /** Where the organisation counts come from. */
  tenants?: Pick<TenantBook, 'size' | 'evicted'>;
  /** Ledger followers dropped for not reading. */
  followersDropped?: () => number;
}

export const createMetrics = ({ maxOrganisations, tenants, followersDropped }: MetricsOptions): Metrics => {
  const registry = new Registry();
  const labelled = new Set<string>();
  const labelFor = (organisation: string): string => {
    if (labelled.has(organisation)) return organisation;
    if (labelled.size >= maxOrganisations) return OTHER_ORGANISATIONS;
    labelled.add(organisation);
    return organisation;
  };
  if (followersDropped !== undefined) {
    new Gauge({
      name: 'cachecast_ledger_followers_dropped',
      help: 'Followers of /admin/ledger?follow=true cut since start for leaving more than 4 MB unread.',
      registers: [registry],
      collect() {
        this.set(followersDropped());
      },
    });
  }
  if (tenants !== undefined) {
    new Gauge({
      name: 'cachecast_organisations',
      help: 'Organisations the provider model keeps quotas for now (at most --max-organisations).',
      registers: [registry],
      collect() {
        this.set(tenants.size());
      },
    });
    new Gauge({
      name: 'cachecast_organisations_evicted',
      help: 'Organisations forgotten since start to stay under --max-organisations, idlest first.',
      registers: [registry],
      collect() {
        this.set(tenants.evicted());
      },
    });
  }
  const requests = new Counter({
    name: 'cachecast_requests_total',
    help: 'Model requests answered, by organisation, node (-1: rejected before routing), model and HTTP status.',
    labelNames: ['organisation', 'node', 'model', 'status'] as const,
    registers: [registry],
    collect: () => flush(),
  });
  const tokens = new Counter({
    name: 'cachecast_tokens_total',
    help: 'Tokens by kind: input (uncached), cache_read, cache_write, output.',
    labelNames: ['organisation', 'node', 'kind'] as const,
    registers: [registry],
    collect: () => flush(),
  });
  const cost = new Counter({
    name: 'cachecast_cost_usd_total',
    help: 'Cost of answered requests at the profile price table, USD.',
    labelNames: ['organisation', 'node'] as const,
    registers: [registry],
    collect: () => flush(),
  });
  const rateLimited = new Counter({
    name: 'cachecast_rate_limited_total',
    help: 'Requests refused with 429 by a quota.',
    labelNames: ['organisation'] as const,
    registers: [registry],
    collect: () => flush(),
  });
  const overloaded = new Counter({
    name: 'cachecast_overloaded_total',
    help: 'Requests answered with an overload (529; 503 on the OpenAI wire), by node (-1: before routing).',
    labelNames: ['organisation', 'node'] as const,
    registers: [registry],
    collect: () => flush(),
  });
  // Counted in plain numbers per series, the same scrape as prom-client's Histogram (ttft-histogram.ts).
  const ttft = createCountedHistogram({
    name: 'cachecast_ttft_seconds',
    help: 'Time to first token of answered requests, provider seconds (queueing + prefill).',
    buckets: TTFT_BUCKETS_S,
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

  // Rows add to plain numbers, and prom-client's counters catch up when they are read (each
  // metric's `collect` runs at scrape): an inc() costs ~0.3 µs and a row touches six counters,
  // which was a tenth of a cached request's handling. TTFT is observed as it comes, into plain
  // numbers too (ttft-histogram.ts).
  interface Children {
    tokens: Array<{ inc: (n: number) => void }>;
    cost: { inc: (n: number) => void };
    overloaded: { inc: (n: number) => void };
    ttft: { observe: (v: number) => void };
    rateLimited: { inc: (n: number) => void };
    prompt: { read: number; all: number };
    requests: Map<string, Pending>;
    /** The entry of `requests` the last row counted in (rows repeat model and status). */
    lastRequests: Pending | undefined;
    pending: { tokens: number[]; cost: number; overloaded: number; rateLimited: number };
  }
  interface Pending {
    counter: { inc: (n: number) => void };
    count: number;
    model: string;
    status: number;
  }
  const children = new Map<string, Children>();
  // The last organisation and node asked for, and their children: rows in a run come mostly from
  // one organisation and node in a row, and the map's key is a string built per row.
  let lastOrganisation: string | undefined;
  let lastNode = 0;
  let last: Children | undefined;
  const childrenFor = (organisation: string, node: number): Children => {
    if (organisation === lastOrganisation && node === lastNode && last !== undefined) return last;
    const found = childrenOf(organisation, node);
    lastOrganisation = organisation;
    lastNode = node;
    last = found;
    return found;
  };
  const childrenOf = (organisation: string, node: number): Children => {
    const id = `${organisation}\u0000${node}`;
    let c = children.get(id);
    if (c === undefined) {
      let p = prompt.get(organisation);
      if (p === undefined) {
        p = { read: 0, all: 0 };
        prompt.set(organisation, p);
      }
      const labels = { organisation, node: String(node) };
      c = {
        tokens: TOKEN_KINDS.map((kind) => tokens.labels({ ...labels, kind })),
        cost: cost.labels(labels),
        overloaded: overloaded.labels(labels),
        ttft: ttft.labels(labels),
        rateLimited: rateLimited.labels({ organisation }),
        prompt: p,
        requests: new Map(),
        lastRequests: undefined,
        pending: { tokens: TOKEN_KINDS.map(() => 0), cost: 0, overloaded: 0, rateLimited: 0 },
      };
      children.set(id, c);
    }
    return c;
  };

  const flush = (): void => {
    for (const c of children.values()) {
      const p = c.pending;
      for (let i = 0; i < p.tokens.length; i++) {
        if (p.tokens[i] > 0) c.tokens[i].inc(p.tokens[i]);
        p.tokens[i] = 0;
      }
      if (p.cost > 0) c.cost.inc(p.cost);
      if (p.overloaded > 0) c.overloaded.inc(p.overloaded);
      if (p.rateLimited > 0) c.rateLimited.inc(p.rateLimited);
      p.cost = p.overloaded = p.rateLimited = 0;
      for (const r of c.requests.values()) {
        if (r.count > 0) r.counter.inc(r.count);
        r.count = 0;
      }
    }
  };

  const record = (row: LedgerRow): void => {
    if (row.kind !== 'request') return;
    const organisation = labelFor(row.tenant);
    const c = childrenFor(organisation, row.node);
    let pending = c.lastRequests;
    if (pending === undefined || pending.model !== row.model || pending.status !== row.status) {
      const requestId = `${row.model}\u0000${row.status}`;
      pending = c.requests.get(requestId);
      if (pending === undefined) {
        pending = { counter: requests.labels({ organisation, node: String(row.node), model: row.model, status: String(row.status) }), count: 0, model: row.model, status: row.status };
        c.requests.set(requestId, pending);
      }
      c.lastRequests = pending;
    }
    pending.count++;
    const p = c.pending;
    p.tokens[0] += row.inputTokens;
    p.tokens[1] += row.cacheReadTokens;
    p.tokens[2] += row.cacheWriteTokens;
    p.tokens[3] += row.outputTokens;
    p.cost += row.costUsd;
    if (row.status === 429) p.rateLimited++;
    if (row.status === 529) p.overloaded++;
    if (row.status === 200) c.ttft.observe(row.ttftMs / 1000);
    c.prompt.read += row.cacheReadTokens;
    c.prompt.all += totalInputTokens(row);
  };

  return {
    registry,
    record,
    reset: () => {
      registry.resetMetrics();
      prompt.clear();
      children.clear();
      last = undefined;
      lastOrganisation = undefined;
      labelled.clear();
    },
  };
};
