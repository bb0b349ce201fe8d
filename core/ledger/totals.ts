// Running totals over request rows, shared by the simulator's summary, the mock provider's
// /admin/summary and live runs. TTFT percentiles come from an HDR histogram (STYLE §13).

import * as hdr from 'hdr-histogram-js';
import type { Totals } from './run-summary.ts';
import { type RequestRow, totalInputTokens } from './row.ts';

export interface TotalsAccumulator {
  add: (row: RequestRow) => void;
  totals: () => Totals;
}

export const createTotals = (): TotalsAccumulator => {
  const ttft = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 24 * 3_600_000, numberOfSignificantValueDigits: 3 });
  const t = { requests: 0, ok: 0, rateLimited: 0, overloaded: 0, serverErrors: 0, inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, costUsd: 0 };
  return {
    add: (row) => {
      t.requests++;
      if (row.status === 200) {
        t.ok++;
        ttft.recordValue(Math.max(1, Math.round(row.ttftMs)));
      } else if (row.status === 429) t.rateLimited++;
      else if (row.status === 529) t.overloaded++;
      else if (row.status === 500) t.serverErrors++;
      t.inputTokens += row.inputTokens;
      t.cacheReadTokens += row.cacheReadTokens;
      t.cacheWriteTokens += row.cacheWriteTokens;
      t.outputTokens += row.outputTokens;
      t.costUsd += row.costUsd;
    },
    totals: () => {
      const allInput = totalInputTokens(t);
      const empty = t.ok === 0;
      return {
        ...t,
        hitRate: allInput === 0 ? 0 : t.cacheReadTokens / allInput,
        costPerRequestUsd: t.requests === 0 ? 0 : t.costUsd / t.requests,
        ttftP50Ms: empty ? 0 : ttft.getValueAtPercentile(50),
        ttftP95Ms: empty ? 0 : ttft.getValueAtPercentile(95),
        ttftP99Ms: empty ? 0 : ttft.getValueAtPercentile(99),
      };
    },
  };
};
