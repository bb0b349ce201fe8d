// Spreading one bundle over several k6 instances with k6's own execution segments
// (https://grafana.com/docs/k6/latest/using-k6/k6-options/reference/#execution-segment), which is
// what k6-operator does on Kubernetes: instance i of n runs the segment i/n:(i+1)/n of one
// sequence, so together they run every iteration exactly once. The bundle needs nothing else:
// `exec.scenario.iterationInTest` is unique across all instances of a segmented test, and a
// request's content, scenario time and random streams follow from it.

import type { LiveHealth } from './live-health.ts';

/** k6's flags for instance `i` (0-based) of `n`. */
export const segmentArgs = (i: number, n: number): string[] => {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`instance ${i} of ${n}`);
  if (n === 1) return [];
  const point = (k: number): string => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);
  return ['--execution-segment', `${point(i)}:${point(i + 1)}`, '--execution-segment-sequence', Array.from({ length: n + 1 }, (_, k) => point(k)).join(',')];
};

/** One health for all instances: their dropped iterations and responses add up. */
export const combineHealth = (healths: readonly LiveHealth[]): LiveHealth => ({
  ...healths[0],
  droppedIterations: healths.reduce((sum, h) => sum + h.droppedIterations, 0),
  responses: healths.reduce((sum, h) => sum + h.responses, 0),
  unexpectedResponses: healths.reduce((sum, h) => sum + h.unexpectedResponses, 0),
  degraded: [...new Set(healths.flatMap((h, i) => h.degraded.map((d) => (healths.length === 1 ? d : `k6 instance ${i + 1}: ${d}`))))],
});
