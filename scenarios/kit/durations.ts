// Durations as k6 writes them ('500ms', '30s', '5m', '1h30m', '2d') or as milliseconds.

export type Duration = string | number;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Milliseconds in a duration; throws naming the text when it is not one. */
export const parseDuration = (value: Duration): number => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`expected a non-negative duration, got ${value}`);
    return value;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(PART)) {
    if (match.index !== consumed) break;
    total += Number(match[1]) * UNIT_MS[match[2]];
    consumed += match[0].length;
  }
  if (consumed !== text.length || text.length === 0) {
    throw new Error(`"${value}" is not a duration (use e.g. 500ms, 30s, 5m, 1h30m, 2d)`);
  }
  return total;
};

/** k6's duration syntax for a span in milliseconds, compact and exact to the millisecond. */
export const formatDuration = (ms: number): string => {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0) out += `${rest}ms`;
  return out;
};

/** Named durations for scenario arithmetic, ms. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
