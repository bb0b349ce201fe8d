// `cachecast live --window`: the bundle's k6 options hold only the window's iterations, and the
// state the mock provider starts from is the simulator's at the window's start, warm for the
// bundle's text. (The live suite runs it on real k6.)

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildK6Script } from '../../k6/build.ts';
import { prepareWindow } from '../../k6/live-window.ts';
import stampede from '../../scenarios/stampede.ts';
import { ROOT, tempDir } from './helpers.ts';

describe('a window of the stampede (13:59:55..14:00:20)', () => {
  it('starts from the simulator state at 13:59:55 and sends 250 steady arrivals and the 1,000-worker herd, numbered as in the whole run', async () => {
    const window = await prepareWindow(stampede, 'baseline', '13:59:55..14:00:20');
    expect(window.from.atMs).toBe(Date.parse('2026-03-02T13:59:55Z'));
    expect(window.snapshot.keys).toBe('k6-anthropic');
    expect(window.iterations).toEqual({ steady: 250, herd: 1_000 });
    // The reference: the same window simulated from the same state. The lull holds steady traffic
    // until 14:00, so 200 steady requests and the herd; the prefix expired in the lull, so the
    // herd writes it over and over (the stampede).
    const sim = window.reference.summary.totals;
    expect(sim.requests).toBe(1_200);
    expect(window.reference.requests.filter((r) => r.class === 'batch')).toHaveLength(1_000);
    expect(window.reference.requests.filter((r) => r.class === 'batch' && r.cacheWriteTokens >= 14_000).length).toBeGreaterThan(100);
    const bundle = await buildK6Script({
      scenario: stampede,
      scenarioPath: join(ROOT, 'scenarios/stampede.ts'),
      variant: 'baseline',
      timeScale: 1,
      target: 'http://127.0.0.1:9',
      outFile: join(tempDir(), 'k6-script.js'),
      window: window.settings,
    });
    expect(Object.keys(bundle.scenarios).sort()).toEqual(['herd', 'steady']);
    expect(bundle.scenarios.steady).toMatchObject({ executor: 'constant-arrival-rate', rate: 10 });
    expect(bundle.scenarios.steady.startTime ?? '0s').toBe('0s');
    expect(bundle.code).toContain('"window": { "fromMs": 7195e3, "toMs": 722e4');
  }, 120_000);
});

describe('scenario time of a lagging arrival in a window', () => {
  it('is held at the executor\'s last arrival, inside the window, never past it', async () => {
    const { iterationClock, LAG_TOLERANCE_WALL_MS } = await import('../../k6/bundle/schedule.ts');
    const { windowSpec } = await import('../../scenarios/kit/window.ts');
    // The jitter herd (1,000 over 60 s from 14:00) cut to 14:00..14:00:50: 834 arrivals 60 ms apart,
    // its executor running half an interval past the last (49,980 ms), to 50,010 ms: past the window.
    const spec = windowSpec(stampede.setup('jitter'), stampede.seed, { fromMs: 2 * 3_600_000, toMs: 2 * 3_600_000 + 50_000 });
    expect(spec.iterations.herd).toBe(834);
    const clock = iterationClock(spec.spec.traffic.herd, 5, () => 0);
    expect(clock.scenarioMs(833, 0)).toBe(49_980);
    // k6 far behind (20 s of wall at scale 5): the clock says 100 s, the window ends at 50 s.
    expect(clock.scenarioMs(700, 20_000 + LAG_TOLERANCE_WALL_MS)).toBe(49_980);
    expect(clock.scenarioMs(834, 0)).toBeUndefined();
  });
});
