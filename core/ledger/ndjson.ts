// One ledger line. Request rows are the hot path (one per simulated request): building the line
// from a template is about twice as fast as JSON.stringify and produces the same bytes (strings
// still go through JSON.stringify for escaping; test/simulator/ndjson.test.ts checks equality).
// The model never produces a non-finite number, so numbers interpolate as JSON would print them.

import type { LedgerRow } from './row.ts';

// Quoted forms of the strings that repeat on every row (scenario, variant, tenant, class, model,
// affinity, most sessions), so each is escaped once rather than once per row.
const quoted = new Map<string, string>();
const MAX_QUOTED = 50_000;
const str = (text: string): string => {
  let q = quoted.get(text);
  if (q === undefined) {
    q = JSON.stringify(text);
    if (quoted.size >= MAX_QUOTED) quoted.clear();
    quoted.set(text, q);
  }
  return q;
};

// Times and costs are rounded to a fixed number of decimals (to-row.ts: µs, 10^-10 USD), and
// printing such a number from its digits is about twice as fast as the engine's shortest-form
// conversion, the costliest part of a line. The two agree: when v is the double nearest n / 10^d
// and v's spacing (ulp) is below 10^-d, no other number of at most d decimals rounds to v, so the
// shortest digits that read back as v are n's. A value that is not such a number, negative, below
// 10^-6 (printed with an exponent) or too large for the spacing bound is printed by the engine.
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000', '0000000000'];
export const POWERS = [1, 10, 100, 1_000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
/** Below these, a double's spacing is under 10^-3 and 10^-10. */
export const MS_LIMIT = 4e12;
export const USD_LIMIT = 4e5;

/** `${v}`, for a v rounded to `decimals` places (at most 10) and below `limit`. */
export const fixedDecimals = (v: number, decimals: number, limit: number): string => {
  if (!(v >= 1e-6 && v < limit)) return `${v}`;
  const scale = POWERS[decimals];
  const n = Math.round(v * scale);
  if (n / scale !== v) return `${v}`;
  const whole = Math.floor(n / scale);
  let fraction = n - whole * scale;
  let head: string;
  if (whole < 1e9) head = `${whole}`;
  else {
    // Two small integers print faster than one above 2^31.
    const high = Math.floor(whole / 1e9);
    const low = `${whole - high * 1e9}`;
    head = `${high}${ZEROS[9 - low.length]}${low}`;
  }
  if (fraction === 0) return head;
  let digits = decimals;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  const tail = `${fraction}`;
  return `${head}.${ZEROS[digits - tail.length]}${tail}`;
};
const ms = (v: number): string => fixedDecimals(v, 3, MS_LIMIT);

export const toNdjsonLine = (row: LedgerRow): string => {
  if (row.kind !== 'request') return `${JSON.stringify(row)}\n`;
  return (
    `{"kind":"request","atMs":${ms(row.atMs)},"scenario":${str(row.scenario)},"variant":${str(row.variant)},` +
    `"tenant":${str(row.tenant)},"session":${str(row.session)},"class":${str(row.class)},"model":${str(row.model)},` +
    `"node":${row.node},"affinity":${str(row.affinity)},"status":${row.status},"inputTokens":${row.inputTokens},` +
    `"cacheReadTokens":${row.cacheReadTokens},"cacheWriteTokens":${row.cacheWriteTokens},` +
    `"cacheWrite1hTokens":${row.cacheWrite1hTokens},"outputTokens":${row.outputTokens},"costUsd":${fixedDecimals(row.costUsd, 10, USD_LIMIT)},` +
    `"ttftMs":${ms(row.ttftMs)},"latencyMs":${ms(row.latencyMs)},"retryAfterMs":${ms(row.retryAfterMs)},"attempt":${row.attempt}}\n`
  );
};
