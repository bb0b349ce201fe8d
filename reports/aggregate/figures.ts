// Accumulators → the flat tables every chart is drawn from, also written whole to report.json.
// Each input is aligned on its own start and drawn on the first input's clock, so variants of
// one scenario (same start) show real UTC times and two different runs still overlay.

import { totalInputTokens } from '../../core/ledger/row.ts';
import type { Totals } from '../../core/ledger/run-summary.ts';
import type { VariantAccumulator } from './accumulate.ts';

export const COST_KINDS = ['uncached input', 'cache write', 'cache read', 'output'] as const;

export interface VariantTotals extends Totals {
  variant: string;
  scenario: string;
  costPer1kRequestsUsd: number;
  sessions: number;
  /** Each figure divided by the first (baseline) input's; 1 for the baseline. */
  vsBaseline: { costUsd: number; costPer1kRequestsUsd: number; hitRate: number; rateLimited: number; ttftP95Ms: number };
}

export interface Figures {
  bucketMs: number;
  originMs: number;
  variants: string[];
  totals: VariantTotals[];
  cost: Array<{ t: string; variant: string; kind: (typeof COST_KINDS)[number]; costUsd: number }>;
  costTrailingHour: Array<{ t: string; variant: string; costUsd: number }>;
  hitRate: Array<{ t: string; variant: string; hitRate: number }>;
  events: Array<{ t: string; variant: string; source: string; label: string }>;
  traffic: Array<{ t: string; variant: string; class: string; series: 'requests' | '429s'; count: number }>;
  ttft: Array<{ t: string; variant: string; percentile: 'p50' | 'p95' | 'p99'; ttftMs: number }>;
  /** ECDF of per-session hit rates, for all sessions and per session length (turns). */
  sessionEcdf: Array<{ variant: string; band: SessionBand; hitRate: number; fraction: number; sessions: number }>;
  sessionAggregate: Array<{ variant: string; hitRate: number; medianSessionHitRate: number }>;
  nodes: Array<{ t: string; variant: string; node: string; requests: number }>;
  affinity: Array<{ t: string; variant: string; affinity: string; requests: number }>;
}

export const SESSION_BANDS = ['all sessions', '1–4 turns', '5–19 turns', '20+ turns'] as const;
export type SessionBand = (typeof SESSION_BANDS)[number];
const bandOf = (requests: number): SessionBand => (requests < 5 ? '1–4 turns' : requests < 20 ? '5–19 turns' : '20+ turns');

const MAX_ECDF_POINTS = 300;

/** Sorted values → at most MAX_ECDF_POINTS (value, cumulative share) points, always ending at 1. */
const ecdfPoints = (sorted: number[]): Array<{ hitRate: number; fraction: number }> => {
  const step = Math.max(1, Math.ceil(sorted.length / MAX_ECDF_POINTS));
  const points: Array<{ hitRate: number; fraction: number }> = [];
  for (let i = step - 1; i < sorted.length; i += step) points.push({ hitRate: sorted[i], fraction: (i + 1) / sorted.length });
  const last = points[points.length - 1];
  if (sorted.length > 0 && last?.fraction !== 1) points.push({ hitRate: sorted[sorted.length - 1], fraction: 1 });
  return points;
};
const HOUR_MS = 3_600_000;

const ratioTo = (value: number, base: number): number => (base === 0 ? (value === 0 ? 1 : Number.POSITIVE_INFINITY) : value / base);

const variantTotals = (acc: VariantAccumulator): Omit<VariantTotals, 'vsBaseline'> => {
  const totals = acc.totals.totals();
  return {
    variant: acc.label,
    scenario: acc.scenario,
    ...totals,
    costPer1kRequestsUsd: totals.requests === 0 ? 0 : (totals.costUsd / totals.requests) * 1000,
    sessions: acc.sessions.size + acc.droppedSessions,
  };
};

export const buildFigures = (accumulators: readonly VariantAccumulator[], bucketMs: number): Figures => {
  const originMs = accumulators[0]?.startMs ?? 0;
  const at = (index: number): string => new Date(originMs + index * bucketMs).toISOString();
  const figures: Figures = {
    bucketMs,
    originMs,
    variants: accumulators.map((a) => a.label),
    totals: [],
    cost: [],
    costTrailingHour: [],
    hitRate: [],
    events: [],
    traffic: [],
    ttft: [],
    sessionEcdf: [],
    sessionAggregate: [],
    nodes: [],
    affinity: [],
  };
  const raw = accumulators.map(variantTotals);
  const base = raw[0];
  for (const t of raw) {
    figures.totals.push({
      ...t,
      vsBaseline: {
        costUsd: ratioTo(t.costUsd, base.costUsd),
        costPer1kRequestsUsd: ratioTo(t.costPer1kRequestsUsd, base.costPer1kRequestsUsd),
        hitRate: ratioTo(t.hitRate, base.hitRate),
        rateLimited: ratioTo(t.rateLimited, base.rateLimited),
        ttftP95Ms: ratioTo(t.ttftP95Ms, base.ttftP95Ms),
      },
    });
  }

  for (const acc of accumulators) {
    const variant = acc.label;
    // A loop, not Math.max(...keys): spreading more than ~120k arguments throws RangeError.
    let last = -1;
    for (const index of acc.buckets.keys()) last = Math.max(last, index);
    const classes = new Set<string>();
    const nodes = new Set<number>();
    for (const b of acc.buckets.values()) {
      for (const c of b.requestsByClass.keys()) classes.add(c);
      for (const n of b.requestsByNode.keys()) nodes.add(n);
    }
    const trailingBuckets = Math.max(1, Math.round(HOUR_MS / bucketMs));
    const totalCost: number[] = [];
    for (let i = 0; i <= last; i++) {
      const b = acc.buckets.get(i);
      const t = at(i);
      const c = b?.costUsd ?? { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 };
      figures.cost.push(
        { t, variant, kind: 'uncached input', costUsd: c.input },
        { t, variant, kind: 'cache write', costUsd: c.cacheWrite },
        { t, variant, kind: 'cache read', costUsd: c.cacheRead },
        { t, variant, kind: 'output', costUsd: c.output },
      );
      totalCost.push(c.input + c.cacheWrite + c.cacheRead + c.output);
      // The average bucket over the hour ending with this one (shorter at the start of the run).
      const from = Math.max(0, i - trailingBuckets + 1);
      let windowCost = 0;
      for (let k = from; k <= i; k++) windowCost += totalCost[k];
      figures.costTrailingHour.push({ t, variant, costUsd: windowCost / (i - from + 1) });
      for (const cls of classes) {
        figures.traffic.push({ t, variant, class: cls, series: 'requests', count: b?.requestsByClass.get(cls) ?? 0 });
        figures.traffic.push({ t, variant, class: cls, series: '429s', count: b?.rateLimitedByClass.get(cls) ?? 0 });
      }
      for (const n of nodes) figures.nodes.push({ t, variant, node: `node ${n}`, requests: b?.requestsByNode.get(n) ?? 0 });
      if (b === undefined) continue;
      for (const affinity of ['home', 'overflow', 'random'] as const) {
        figures.affinity.push({ t, variant, affinity, requests: b.affinity[affinity] });
      }
      const input = totalInputTokens(b);
      if (input > 0) figures.hitRate.push({ t, variant, hitRate: b.cacheReadTokens / input });
      if (b.ttftCount > 0) {
        for (const [percentile, p] of [['p50', 50], ['p95', 95], ['p99', 99]] as const) {
          figures.ttft.push({ t, variant, percentile, ttftMs: b.ttft.getValueAtPercentile(p) });
        }
      }
    }
    for (const e of acc.events) {
      figures.events.push({ t: new Date(originMs + (e.atMs - acc.startMs)).toISOString(), variant, source: e.source, label: e.label });
    }
    const served = [...acc.sessions.values()].filter((x) => x.inputTokens > 0);
    const rateOf = (x: { readTokens: number; inputTokens: number }) => x.readTokens / x.inputTokens;
    const rates = served.map(rateOf).sort((a, b) => a - b);
    for (const band of SESSION_BANDS) {
      const inBand = band === 'all sessions' ? rates : served.filter((x) => bandOf(x.requests) === band).map(rateOf).sort((a, b) => a - b);
      for (const p of ecdfPoints(inBand)) figures.sessionEcdf.push({ variant, band, ...p, sessions: inBand.length });
    }
    figures.sessionAggregate.push({
      variant,
      hitRate: acc.totals.totals().hitRate,
      medianSessionHitRate: rates.length === 0 ? 0 : rates[Math.floor((rates.length - 1) / 2)],
    });
  }
  return figures;
};
