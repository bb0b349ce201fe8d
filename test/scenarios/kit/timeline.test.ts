import { describe, expect, it } from 'vitest';
import { arrivalOffsetMs, vuActiveIntervals } from '../../../scenarios/kit/timeline.ts';

describe('arrival timeline', () => {
  it('spaces a constant rate evenly: 10/s puts iteration 25 at 2.5 s and stops after 30 in 3 s', () => {
    const stages = [{ fromPerMs: 0.01, toPerMs: 0.01, durationMs: 3_000 }];
    expect(arrivalOffsetMs(stages, 0)).toBe(0);
    expect(arrivalOffsetMs(stages, 25)).toBeCloseTo(2_500, 9);
    expect(arrivalOffsetMs(stages, 29)).toBeCloseTo(2_900, 9);
    expect(arrivalOffsetMs(stages, 30)).toBeUndefined();
  });

  it('follows a linear ramp: 0 → 10/s over 10 s has 50 arrivals, the 8th at √(2·8/1) s', () => {
    // N(t) = t²/2 per s² for a ramp of 1/s², so iteration k arrives at √(2k) s.
    const stages = [{ fromPerMs: 0, toPerMs: 0.01, durationMs: 10_000 }];
    expect(arrivalOffsetMs(stages, 8)).toBeCloseTo(4_000, 6);
    expect(arrivalOffsetMs(stages, 49)).toBeCloseTo(Math.sqrt(98) * 1000, 6);
    expect(arrivalOffsetMs(stages, 50)).toBeUndefined();
  });

  it('carries on into the next stage', () => {
    const stages = [
      { fromPerMs: 0.001, toPerMs: 0.001, durationMs: 10_000 },
      { fromPerMs: 0.002, toPerMs: 0.002, durationMs: 10_000 },
    ];
    expect(arrivalOffsetMs(stages, 10)).toBe(10_000);
    expect(arrivalOffsetMs(stages, 12)).toBeCloseTo(11_000, 9);
    expect(arrivalOffsetMs(stages, 30)).toBeUndefined();
  });

  it('starts and stops ramping VUs where the target crosses them', () => {
    const stages = [
      { target: 4, durationMs: 4_000 },
      { target: 0, durationMs: 4_000 },
    ];
    expect(vuActiveIntervals(0, stages, 1)).toEqual([[1_000, expect.closeTo(7_000, 3)]]);
    expect(vuActiveIntervals(0, stages, 4)).toEqual([[4_000, expect.closeTo(4_000, 3)]]);
  });
});
