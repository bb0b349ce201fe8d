// A row carries its total cost and its tokens by kind; the ledger module splits the dollars by kind with
// the model's list prices, scaled so the parts add up to the row's own total (a scenario may have
// overridden prices). A model not in the built-in tables is split by token share.

import type { RequestRow } from './row.ts';
import type { PriceUsdPerMTok } from '../model/config.ts';
import { costBreakdownUsd } from '../model/pricing.ts';
import { PROFILES } from '../model/profiles/index.ts';

const PRICES = new Map<string, PriceUsdPerMTok>(
  Object.values(PROFILES).flatMap((profile) => Object.entries(profile.models).map(([id, spec]) => [id, spec.prices] as const)),
);

export interface CostByKindUsd {
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

export const costByKindUsd = (row: RequestRow): CostByKindUsd => {
  if (row.costUsd === 0) return { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 };
  const prices = PRICES.get(row.model);
  const parts = prices
    ? costBreakdownUsd(prices, row)
    : { input: row.inputTokens, cacheWrite: row.cacheWriteTokens, cacheRead: row.cacheReadTokens, output: row.outputTokens, total: 0 };
  const sum = parts.input + parts.cacheWrite + parts.cacheRead + parts.output;
  if (sum === 0) return { input: row.costUsd, cacheWrite: 0, cacheRead: 0, output: 0 };
  const scale = row.costUsd / sum;
  return { input: parts.input * scale, cacheWrite: parts.cacheWrite * scale, cacheRead: parts.cacheRead * scale, output: parts.output * scale };
};
