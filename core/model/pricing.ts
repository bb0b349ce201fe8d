// Cost of one request from its usage and the model's dated price table (profiles/*.ts cite the
// source of each price). Prices are USD per million tokens.

import type { PriceUsdPerMTok } from './config.ts';
import type { Usage } from './types.ts';

export interface CostBreakdownUsd {
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
  total: number;
}

export const costBreakdownUsd = (prices: PriceUsdPerMTok, usage: Usage): CostBreakdownUsd => {
  const input = (usage.inputTokens * prices.input) / 1e6;
  const write5m = usage.cacheWriteTokens - usage.cacheWrite1hTokens;
  const cacheWrite = (write5m * prices.cacheWrite5m + usage.cacheWrite1hTokens * prices.cacheWrite1h) / 1e6;
  const cacheRead = (usage.cacheReadTokens * prices.cacheRead) / 1e6;
  const output = (usage.outputTokens * prices.output) / 1e6;
  return { input, cacheWrite, cacheRead, output, total: input + cacheWrite + cacheRead + output };
};

/** `costBreakdownUsd(prices, usage).total`, the same arithmetic in the same order, without the breakdown object (one per request). */
export const costUsd = (prices: PriceUsdPerMTok, usage: Usage): number => {
  const input = (usage.inputTokens * prices.input) / 1e6;
  const write5m = usage.cacheWriteTokens - usage.cacheWrite1hTokens;
  const cacheWrite = (write5m * prices.cacheWrite5m + usage.cacheWrite1hTokens * prices.cacheWrite1h) / 1e6;
  const cacheRead = (usage.cacheReadTokens * prices.cacheRead) / 1e6;
  const output = (usage.outputTokens * prices.output) / 1e6;
  return input + cacheWrite + cacheRead + output;
};
