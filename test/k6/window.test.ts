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
