// k6 wants arrival rates as whole iterations per `timeUnit` and durations as whole milliseconds
// (its duration strings go no finer in cachecast), while a scenario's rates and durations are in
// provider time and divided by the time scale. This fits one into the other: exactly when some
// multiple of the time unit lands on whole milliseconds and whole iterations, approximately
// (rounded, and saying so) when none does.

export interface FittedRates {
  /** The rates as k6 integers per `timeUnitMs` (start rate first, then each stage's target). */
  rates: number[];
  timeUnitMs: number;
  /** Stage durations on the wall, whole milliseconds. */
  durationsMs: number[];
  /** True when rates and durations are the scenario's exactly, only divided by the time scale. */
  exact: boolean;
  /** True when the rates are (only the durations may have been rounded to whole milliseconds). */
  ratesExact: boolean;
}

/** Up to this multiple of the time unit is tried before rounding. */
const MAX_MULTIPLE = 10_000;
const EPSILON = 1e-6;

const isWhole = (value: number): boolean => Math.abs(value - Math.round(value)) < EPSILON * Math.max(1, Math.abs(value));

/**
 * `ratesPerUnit` are iterations per `unitMs` of provider time; `durationsMs` are provider time.
 * With a time scale of 60, 1,000 per 200 ms becomes 1,000 per 3.33 ms on the wall, which k6 can
 * take as 3,000 per 10 ms: the smallest multiple that makes both whole.
 */
export const fitArrivalRates = (ratesPerUnit: readonly number[], unitMs: number, durationsMs: readonly number[], timeScale: number): FittedRates => {
  const wallDurations = durationsMs.map((d) => d / timeScale);
  const durationsExact = wallDurations.every(isWhole);
  const roundedDurations = wallDurations.map((d) => Math.round(d));
  for (let m = 1; m <= MAX_MULTIPLE; m++) {
    const wallUnit = (unitMs * m) / timeScale;
    if (!isWhole(wallUnit) || Math.round(wallUnit) < 1) continue;
    if (!ratesPerUnit.every((r) => isWhole(r * m))) continue;
    return { rates: ratesPerUnit.map((r) => Math.round(r * m)), timeUnitMs: Math.round(wallUnit), durationsMs: roundedDurations, exact: durationsExact, ratesExact: true };
  }
  // No whole multiple: pick a wall time unit long enough that rounding each rate to a whole number
  // moves it by at most 0.1 %.
  const perWallMs = ratesPerUnit.map((r) => (r * timeScale) / unitMs);
  const smallest = Math.min(...perWallMs.filter((r) => r > 0));
  let timeUnitMs = 1;
  while (Number.isFinite(smallest) && smallest * timeUnitMs < 1000 && timeUnitMs < 86_400_000) timeUnitMs *= 10;
  return { rates: perWallMs.map((r) => Math.round(r * timeUnitMs)), timeUnitMs, durationsMs: roundedDurations, exact: false, ratesExact: false };
};

/**
 * Iterations a constant arrival rate starts in provider time: offsets k·unit/rate below the
 * duration, as the simulator schedules them (iteration 0 at the start).
 */
export const constantRateIterations = (rate: number, unitMs: number, durationMs: number): number =>
  Math.max(0, Math.ceil((rate * durationMs) / unitMs - 1e-9));
