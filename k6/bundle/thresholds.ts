// Scenario expectations that name a k6 form (`expectation.k6`) become k6 thresholds, so k6 itself
// exits non-zero (99) when one fails. Expectations without one are measured from the ledger by
// `cachecast live` and `cachecast check`; k6 cannot compute them from its metrics.

import type { Expectation } from '../../scenarios/kit/format.ts';

export const toThresholds = (expectations: readonly Expectation[]): Record<string, string[]> => {
  const thresholds: Record<string, string[]> = {};
  for (const e of expectations) {
    if (e.k6 === undefined) continue;
    (thresholds[e.k6.metric] ??= []).push(e.k6.threshold);
  }
  return thresholds;
};
