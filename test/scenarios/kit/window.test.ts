// A window of a scenario sends the whole scenario's requests for that span: the same iteration
// numbers, scenario times and random streams, for arrival-rate executors exactly.

import { describe, expect, it } from 'vitest';
import { arrivalOffsetMs, arrivalStages } from '../../../scenarios/kit/timeline.ts';
import { parseDuration } from '../../../scenarios/kit/durations.ts';
import { windowSpec } from '../../../scenarios/kit/window.ts';
import { specFor } from '../../../scenarios/kit/validate.ts';
import { iterationRng } from '../../../core/random/streams.ts';
import stampede from '../../../scenarios/stampede.ts';
import tokenizerUpgrade from '../../../scenarios/tokenizer-upgrade.ts';
import type { Executor } from '../../../scenarios/kit/format.ts';

const arrivals = (e: Executor, fromMs: number, toMs: number): Array<[number, number]> => {
  const stages = arrivalStages(e)!;
  const start = parseDuration(e.startTime ?? 0);
  const out: Array<[number, number]> = [];
  for (let k = 0; ; k++) {
    const offset = arrivalOffsetMs(stages, k);
    if (offset === undefined || start + offset >= toMs) return out;
    if (start + offset >= fromMs) out.push([k, start + offset]);
  }
};

describe('windowSpec', () => {
  it("stampede 13:59:55..14:00:20: 250 steady arrivals and the whole herd, each the full run's request", () => {
    const spec = specFor(stampede, 'baseline');
    const fromMs = (1 * 60 + 59) * 60_000 + 55_000;
    const toMs = 2 * 3_600_000 + 20_000;
    const w = windowSpec(spec, stampede.seed, { fromMs, toMs });
    expect(w.iterations).toEqual({ steady: 250, herd: 1_000 });
    expect(w.firstIteration).toEqual({ steady: 71_950, herd: 0 });
    expect(w.spec.duration).toBe(25_000);
    // The herd is kept as written (a burst), moved to the window's clock.
    expect(w.spec.traffic.herd).toMatchObject({ executor: 'constant-arrival-rate', rate: 1_000, timeUnit: 200, duration: 200, startTime: 5_000 });
    for (const name of ['steady', 'herd']) {
      const whole = spec.traffic[name];
      const part = w.spec.traffic[name];
      const expected = arrivals(whole, fromMs, toMs);
      const got = arrivals(part, 0, toMs - fromMs).map(([k, t]): [number, number] => [k + w.firstIteration[name], t + fromMs]);
      expect(got.map(([k]) => k)).toEqual(expected.map(([k]) => k));
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i][1] - expected[i][1])).toBeLessThan(1e-6);
      for (const [k, t] of expected.slice(0, 50)) {
        const local = k - w.firstIteration[name];
        expect(part.build(local, t - fromMs, iterationRng('unused', name, local))).toEqual(whole.build(k, t, iterationRng(stampede.seed, name, k)));
      }
    }
  });

  it('tokenizer-upgrade 47h55m..48h10m: the upgrade event inside the window, on its clock', () => {
    const spec = specFor(tokenizerUpgrade, 'baseline');
    const w = windowSpec(spec, tokenizerUpgrade.seed, { fromMs: parseDuration('47h55m'), toMs: parseDuration('48h10m') });
    expect(w.spec.events).toEqual([{ at: 5 * 60_000, event: spec.events![0].event }]);
    expect(w.iterations.customers).toBe(arrivals(spec.traffic.customers, parseDuration('47h55m'), parseDuration('48h10m')).length);
    expect(() => windowSpec(spec, 's', { fromMs: parseDuration('80h'), toMs: parseDuration('81h') })).toThrow('holds no iteration');
  });
});
