// A sensible default bucket for a run's span: about 60–200 buckets, snapped to a round size, so a
// 10-second rehearsal gets 100 ms buckets and a two-week replay gets 6-hour ones.

import { CachecastError } from '../../core/errors.ts';

/**
 * Most buckets one report draws. Every bucket costs a TTFT histogram (~10 KB) and a point per
 * series in every chart: 2,000 buckets (5m over a week) peak at ~380 MB; 10,000 (1m over a week)
 * at 1.1 GB; 1s over a week crashed. 2,500 still allows 1m over a day and 5m over a week.
 */
export const MAX_BUCKETS = 2_500;

/** A --bucket too fine for the run's span fails early, before the ledger is read in full. */
export const assertBucketCount = (spanMs: number, bucketMs: number): void => {
  const buckets = Math.ceil(spanMs / bucketMs);
  if (buckets > MAX_BUCKETS) {
    throw new CachecastError(
      'CC_ERR_USAGE',
      `--bucket: ${bucketLabel(bucketMs)} buckets make ${buckets.toLocaleString('en-US')} over this run; a report draws at most ${MAX_BUCKETS.toLocaleString('en-US')}. ` +
        `Use a bucket of at least ${Math.ceil(spanMs / MAX_BUCKETS / 1000)}s, or leave --bucket out to pick one from the span.`,
    );
  }
};

const STEPS_MS = [100, 1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000];

export const defaultBucketMs = (spanMs: number): number => {
  for (const step of STEPS_MS) if (spanMs / step <= 200) return step;
  return STEPS_MS[STEPS_MS.length - 1];
};

export const bucketLabel = (bucketMs: number): string => {
  if (bucketMs % 86_400_000 === 0) return `${bucketMs / 86_400_000}-day`;
  if (bucketMs % 3_600_000 === 0) return `${bucketMs / 3_600_000}-hour`;
  if (bucketMs % 60_000 === 0) return `${bucketMs / 60_000}-minute`;
  if (bucketMs % 1_000 === 0) return `${bucketMs / 1_000}-second`;
  return `${bucketMs}-ms`;
};
