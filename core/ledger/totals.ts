// Running totals over request rows, shared by the simulator's summary, the mock provider's
// /admin/summary and live runs. TTFT percentiles come from an HDR histogram (STYLE §13).

import * as hdr from 'hdr-histogram-js';
import type { Totals } from './run-summary.ts';
import { type RequestRow, totalInputTokens } from './row.ts';

export interface TotalsAccumulator {
  add: (row: RequestRow) => void;
  totals: () => Totals;
}

/**
 * TTFTs below this many ms are counted in a plain array and handed to the histogram in bulk when
 * the totals are read: the same counts, so the same percentiles, without the histogram's index
 * arithmetic on every request (it was a twentieth of the simulator's time with the ledger off).
 */
const DIRECT_MS = 16_384;

export const createTotals = (): TotalsAccumulator => {
  const ttft = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 24 * 3_600_000, numberOfSignificantValueDigits: 3 });
  const pending = new Uint32Array(DIRECT_MS);
  let pendingCount = 0;
  const flush = (): void => {
    if (pendingCount === 0) return;
    for (let ms = 1; ms < DIRECT_MS; ms++) {
      if (pending[ms] !== 0) ttft.recordValueWithCount(ms, pending[ms]);
    }
    pending.fill(0);
    pendingCount = 0;
  };
  const t = { requests: 0, ok: 0, rateLimited: 0, overloaded: 0, serverErrors: 0, inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, costUsd: 0 };
  return {
    add: (row) => {
      t.requests++;
      if (row.status === 200) {
        t.ok++;
        const ms = Math.max(1, Math.round(row.ttftMs));
        if (ms < DIRECT_MS && pendingCount < 0xffff_ffff) {
          pending[ms]++;
          pendingCount++;
        } else ttft.recordValue(ms);
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
      flush();
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
