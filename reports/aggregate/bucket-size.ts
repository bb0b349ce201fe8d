// A sensible default bucket for a run's span: about 60–200 buckets, snapped to a round size, so a
// 10-second rehearsal gets 100 ms buckets and a two-week replay gets 6-hour ones.

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
