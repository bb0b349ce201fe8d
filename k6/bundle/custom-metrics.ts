// cachecast's custom k6 metrics, fed from each response's `usage` (names are part of the k6
// interface: thresholds and dashboards refer to them).

import { Counter, Rate, Trend } from 'k6/metrics';
import type { Usage } from '../../core/model/types.ts';
import { createTokenSampler } from './hit-ratio.ts';
import { isUnexpectedStatus } from './unexpected-status.ts';

export const METRIC = {
  cacheReadTokens: 'cache_read_tokens',
  cacheWriteTokens: 'cache_write_tokens',
  uncachedInputTokens: 'uncached_input_tokens',
  outputTokens: 'output_tokens',
  cacheHitRatio: 'cache_hit_ratio',
  costUsd: 'cost_usd',
  ttftMs: 'ttft_ms',
  rateLimited: 'rate_limited',
  unexpectedStatus: 'unexpected_status',
  unexpectedRate: 'unexpected_response_rate',
} as const;

/**
 * A threshold every bundle carries, so `k6 run` alone (against `cachecast serve` or a gateway)
 * exits 99 when over 1 % of responses are ones no scenario asks for: an OpenAI scenario's script
 * sent to `serve --profile anthropic` got 404 for every request and k6 exited 0. The same 1 % as
 * `cachecast live`'s own check (k6/live-health.ts).
 */
export const UNEXPECTED_THRESHOLD = { [METRIC.unexpectedRate]: ['rate<0.01'] };


export type MetricTags = Record<string, string>;

export interface AnswerRecord {
  status: number;
  usage?: Usage;
  costUsd?: number;
  /** Time to first token, provider milliseconds (streamed answers only). */
  ttftMs?: number;
}

export interface CachecastMetrics {
  record: (answer: AnswerRecord, tags: MetricTags) => void;
}

/** Creates the metrics; call in the init context, as k6 requires. */
export const createMetrics = (): CachecastMetrics => {
  const cacheRead = new Counter(METRIC.cacheReadTokens);
  const cacheWrite = new Counter(METRIC.cacheWriteTokens);
  const uncached = new Counter(METRIC.uncachedInputTokens);
  const output = new Counter(METRIC.outputTokens);
  const hitRatio = new Rate(METRIC.cacheHitRatio);
  const cost = new Counter(METRIC.costUsd);
  const ttft = new Trend(METRIC.ttftMs, true);
  const rateLimited = new Rate(METRIC.rateLimited);
  const unexpected = new Counter(METRIC.unexpectedStatus);
  const unexpectedRate = new Rate(METRIC.unexpectedRate);
  const sampler = createTokenSampler();
  return {
    record: (answer, tags) => {
      // Every sample costs k6 CPU (~6 µs in the script on v1.3, more in k6's metrics engine): a
      // Counter's sum is the same without its zeros, so zeros are not added (the summary reads an
      // absent Counter as 0).
      rateLimited.add(answer.status === 429, tags);
      const isUnexpected = isUnexpectedStatus(answer.status);
      if (isUnexpected) unexpected.add(1, { ...tags, status: String(answer.status) });
      unexpectedRate.add(isUnexpected, tags);
      const usage = answer.usage;
      if (usage === undefined) return;
      if (usage.cacheReadTokens !== 0) cacheRead.add(usage.cacheReadTokens, tags);
      if (usage.cacheWriteTokens !== 0) cacheWrite.add(usage.cacheWriteTokens, tags);
      if (usage.inputTokens !== 0) uncached.add(usage.inputTokens, tags);
      if (usage.outputTokens !== 0) output.add(usage.outputTokens, tags);
      if (answer.costUsd !== undefined && answer.costUsd !== 0) cost.add(answer.costUsd, tags);
      if (answer.ttftMs !== undefined) ttft.add(answer.ttftMs, tags);
      const { hits, misses } = sampler.add(usage.cacheReadTokens, usage.inputTokens + usage.cacheWriteTokens);
      for (let i = 0; i < hits; i++) hitRatio.add(true, tags);
      for (let i = 0; i < misses; i++) hitRatio.add(false, tags);
    },
  };
};
