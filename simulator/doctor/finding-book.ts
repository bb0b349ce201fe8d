// Findings as they accumulate while the log streams: one entry per cause and place (a tenant's
// volatile timestamp in system[0], a prefix's TTL ...), each with its requests, lost tokens and
// dollars, plus the dollars lost per cause per minute for the chart. Bounded: at most MAX_FINDINGS
// entries; later places of a full book are counted in their cause's series and totals only.

import type { CostPoint, Divergence, Finding, FindingKind } from '../../core/ledger/doctor-report.ts';

const MAX_FINDINGS = 5_000;
const MINUTE_MS = 60_000;

export type FindingSeed = Omit<Finding, 'id' | 'tenants' | 'models' | 'requests' | 'lostTokens' | 'costUsd' | 'costShare'> & {
  divergence?: Divergence;
};

interface Entry {
  seed: FindingSeed;
  tenants: Set<string>;
  models: Set<string>;
  requests: number;
  lostTokens: number;
  costUsd: number;
}

export interface Hit {
  tenant: string;
  model: string;
  lostTokens: number;
  costUsd: number;
  atMs: number;
  /** Requests this hit stands for (default 1). */
  requests?: number;
  /** Spread the dollars evenly over [atMs, spreadToMs] in the series (TTL savings, known only at the end). */
  spreadToMs?: number;
}

export interface FindingBook {
  /** Counts one request against the finding `key`; `seed` is called only the first time the key is seen. */
  add: (key: string, seed: () => FindingSeed, hit: Hit) => void;
  has: (key: string) => boolean;
  /** Ranked findings (dearest first, then by id) and the series in `bucketMs` buckets from `originMs`. */
  finish: (promptSpendUsd: number, originMs: number, bucketMs: number) => { findings: Finding[]; series: CostPoint[] };
}

export const createFindingBook = (): FindingBook => {
  const entries = new Map<string, Entry>();
  const minutes = new Map<FindingKind, Map<number, number>>();
  const addToSeries = (kind: FindingKind, atMs: number, costUsd: number): void => {
    let series = minutes.get(kind);
    if (series === undefined) {
      series = new Map();
      minutes.set(kind, series);
    }
    const minute = Math.floor(atMs / MINUTE_MS);
    series.set(minute, (series.get(minute) ?? 0) + costUsd);
  };
  const record = (kind: FindingKind, hit: Hit): void => {
    if (hit.spreadToMs === undefined) return addToSeries(kind, hit.atMs, hit.costUsd);
    const first = Math.floor(hit.atMs / MINUTE_MS);
    const n = Math.floor(hit.spreadToMs / MINUTE_MS) - first + 1;
    for (let m = 0; m < n; m++) addToSeries(kind, (first + m) * MINUTE_MS, hit.costUsd / n);
  };
  return {
    add: (key, seed, hit) => {
      let entry = entries.get(key);
      if (entry === undefined) {
        const made = seed();
        record(made.kind, hit);
        if (entries.size >= MAX_FINDINGS) return;
        entry = { seed: made, tenants: new Set(), models: new Set(), requests: 0, lostTokens: 0, costUsd: 0 };
        entries.set(key, entry);
      } else record(entry.seed.kind, hit);
      if (entry.tenants.size < 20) entry.tenants.add(hit.tenant);
      if (entry.models.size < 20) entry.models.add(hit.model);
      entry.requests += hit.requests ?? 1;
      entry.lostTokens += hit.lostTokens;
      entry.costUsd += hit.costUsd;
    },
    has: (key) => entries.has(key),
    finish: (promptSpendUsd, originMs, bucketMs) => {
      const findings: Finding[] = [...entries.entries()]
        .filter(([, e]) => e.costUsd > 0)
        .map(([key, e]) => ({
          ...e.seed,
          id: key,
          tenants: [...e.tenants].sort(),
          models: [...e.models].sort(),
          requests: e.requests,
          lostTokens: Math.round(e.lostTokens),
          costUsd: e.costUsd,
          costShare: promptSpendUsd > 0 ? e.costUsd / promptSpendUsd : 0,
        }))
        .sort((a, b) => b.costUsd - a.costUsd || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const series: CostPoint[] = [];
      for (const [kind, byMinute] of [...minutes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const buckets = new Map<number, number>();
        for (const [minute, usd] of byMinute) {
          const bucket = Math.floor((minute * MINUTE_MS - originMs) / bucketMs);
          buckets.set(bucket, (buckets.get(bucket) ?? 0) + usd);
        }
        for (const [bucket, usd] of [...buckets.entries()].sort(([a], [b]) => a - b)) {
          if (usd > 0) series.push({ t: new Date(originMs + bucket * bucketMs).toISOString(), kind, costUsd: usd });
        }
      }
      return { findings, series };
    },
  };
};

/** Chart buckets: the smallest of these widths giving at most 200 buckets over the span. */
const WIDTHS_MS = [60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];
export const bucketMsFor = (spanMs: number): number => WIDTHS_MS.find((w) => spanMs / w <= 200) ?? WIDTHS_MS[WIDTHS_MS.length - 1];
