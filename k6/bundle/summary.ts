// handleSummary: a short text summary for stdout (k6 prints its own only when handleSummary is
// absent) and a JSON file beside it: k6's whole summary data plus cachecast's figures, with the
// hit rate computed exactly from the token Counters.

import { METRIC } from './custom-metrics.ts';

/** The parts of k6's summary data read here (the rest is passed through untouched). */
export interface K6SummaryData {
  metrics: Record<string, { type: string; contains?: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  state?: { testRunDurationMs?: number };
}

export interface SummaryContext {
  scenario: string;
  variant: string;
  timeScale: number;
  target: string;
}

export interface CachecastK6Figures {
  /** Model responses (every answer, any status). */
  responses: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  uncachedInputTokens: number;
  outputTokens: number;
  /** Exact token-weighted hit rate: cache reads ÷ (uncached + cache write + cache read). */
  hitRate: number;
  costUsd: number;
  costPerResponseUsd: number;
  rateLimitedRate: number;
  ttftP95Ms: number;
  /** Iterations k6 could not start on time (no free VU): traffic the scenario promised and did not send. */
  droppedIterations: number;
  /** Responses no scenario asks for (kit: custom-metrics.ts isUnexpectedStatus). */
  unexpectedResponses: number;
  thresholds: Array<{ metric: string; threshold: string; ok: boolean }>;
}

const value = (data: K6SummaryData, metric: string, field: string): number => data.metrics[metric]?.values[field] ?? 0;

export const cachecastFigures = (data: K6SummaryData): CachecastK6Figures => {
  const read = value(data, METRIC.cacheReadTokens, 'count');
  const write = value(data, METRIC.cacheWriteTokens, 'count');
  const uncached = value(data, METRIC.uncachedInputTokens, 'count');
  const responses = value(data, METRIC.rateLimited, 'passes') + value(data, METRIC.rateLimited, 'fails');
  const costUsd = value(data, METRIC.costUsd, 'count');
  const thresholds: CachecastK6Figures['thresholds'] = [];
  for (const [metric, entry] of Object.entries(data.metrics)) {
    for (const [threshold, result] of Object.entries(entry.thresholds ?? {})) thresholds.push({ metric, threshold, ok: result.ok });
  }
  return {
    responses,
    cacheReadTokens: read,
    cacheWriteTokens: write,
    uncachedInputTokens: uncached,
    outputTokens: value(data, METRIC.outputTokens, 'count'),
    hitRate: read + write + uncached === 0 ? 0 : read / (read + write + uncached),
    costUsd,
    costPerResponseUsd: responses === 0 ? 0 : costUsd / responses,
    rateLimitedRate: value(data, METRIC.rateLimited, 'rate'),
    ttftP95Ms: value(data, METRIC.ttftMs, 'p(95)'),
    droppedIterations: value(data, 'dropped_iterations', 'count'),
    unexpectedResponses: value(data, METRIC.unexpectedStatus, 'count'),
    thresholds,
  };
};

/**
 * Thousands separated by commas, by hand: goja (k6's JavaScript runtime) has no Intl, and in k6
 * v0.48 `toLocaleString('en-US')` throws "toString() radix argument must be between 2 and 36".
 */
export const int = (n: number): string => {
  const digits = String(Math.abs(Math.round(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return Math.round(n) < 0 ? `-${grouped}` : grouped;
};

export const textSummary = (context: SummaryContext, figures: CachecastK6Figures, data: K6SummaryData): string => {
  const lines = [
    '',
    `cachecast ${context.scenario}/${context.variant} → ${context.target} (time scale ${context.timeScale})`,
    `  responses ............ ${int(figures.responses)}   rate limited ${(figures.rateLimitedRate * 100).toFixed(2)} %`,
    `  input tokens ......... uncached ${int(figures.uncachedInputTokens)}, cache write ${int(figures.cacheWriteTokens)}, cache read ${int(figures.cacheReadTokens)}`,
    `  output tokens ........ ${int(figures.outputTokens)}`,
    `  hit rate (tokens) .... ${(figures.hitRate * 100).toFixed(2)} %`,
    `  cost ................. $${figures.costUsd.toFixed(4)}  ($${figures.costPerResponseUsd.toFixed(6)} per response)`,
    `  ttft p95 ............. ${int(figures.ttftP95Ms)} ms (provider time)`,
    `  http_req_duration p95  ${value(data, 'http_req_duration', 'p(95)').toFixed(1)} ms (wall)   dropped iterations ${int(figures.droppedIterations)}`,
    `  unexpected responses . ${int(figures.unexpectedResponses)} (4xx other than 429, or none at all)`,
  ];
  for (const t of figures.thresholds) lines.push(`  ${t.ok ? '✓' : '✗'} ${t.metric}: ${t.threshold}`);
  return `${lines.join('\n')}\n`;
};
