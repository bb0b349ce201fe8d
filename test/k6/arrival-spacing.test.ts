// k6 starts a constant-arrival-rate iteration every timeUnit ÷ rate while under the duration. A
// window's executor runs half an interval past its last arrival (kit/window.ts), rarely whole wall
// milliseconds: its k6 form must keep both the count and the simulator's spacing (issue 11: spread
// over the rounded duration, 134 interactive arrivals came up to 440 ms of provider time early).

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../scenarios/kit/durations.ts';
import { toK6Scenarios } from '../../k6/bundle/k6-scenarios.ts';
import type { Executor } from '../../scenarios/kit/format.ts';

const build = () => null;
/** k6's arrival times on the wall (ms) for a constant-arrival-rate scenario, without the catch-up second. */
const k6Arrivals = (s: { rate?: number; timeUnit?: string | number }, durationMs: number): number[] => {
  const spacing = parseDuration(s.timeUnit ?? '1s') / (s.rate as number);
  const out: number[] = [];
  for (let k = 0; k * spacing < durationMs; k++) out.push(k * spacing);
  return out;
};

describe('a constant arrival rate whose duration is not whole wall milliseconds', () => {
  it('keeps the simulator\u2019s spacing and count when the rate itself fits (67 a minute at ×10, 133.5 intervals)', () => {
    const intervalMs = 60_000 / 67;
    const e: Executor = { executor: 'constant-arrival-rate', rate: 67, timeUnit: '1m', duration: 133.5 * intervalMs, build };
    const mapped = toK6Scenarios({ interactive: e }, 10);
    const s = mapped.scenarios.interactive as { rate: number; timeUnit: string };
    expect(s.rate).toBe(67);
    expect(s.timeUnit).toBe('6s');
    const arrivals = k6Arrivals(s, Math.round(133.5 * intervalMs) / 10);
    expect(arrivals).toHaveLength(134);
    // The last arrival is where the simulator has it: 133 intervals, 89,104 ms of provider time.
    expect(arrivals[133] * 10).toBeCloseTo(133 * intervalMs, 6);
    expect(mapped.notes[0]).toContain('sent at the same rate for 11s955ms (the same 134 arrivals)');
  });
});
