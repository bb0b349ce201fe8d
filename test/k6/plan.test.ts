import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../bin/cli/load-scenario.ts';
import { largestFeasibleScale, peakWallRps } from '../../k6/plan.ts';
import { runCli } from '../cli/helpers.ts';
import { FIXTURES, ROOT, tempDir } from './helpers.ts';

describe('live feasibility', () => {
  it('counts the peak wall rate of the arrival-rate traffic, bursts apart', async () => {
    const stampede = await loadScenario('stampede', ROOT);
    // steady: 10 a second; the herd (1,000 in 200 ms) is a burst at every scale, sent by its own VUs.
    expect(peakWallRps(stampede, 'baseline', 60)).toBeCloseTo(600, 9);
    expect(peakWallRps(stampede, 'baseline', 1)).toBeCloseTo(10, 9);
    // 10× is 100 a second, within 150; 20× is 200.
    expect(largestFeasibleScale(stampede, 'baseline', 150)).toBe(10);
  });

  it('refuses a time scale this machine cannot drive, proposing the largest feasible one', async () => {
    const { error } = await runCli(['live', 'stampede', '--k6', join(FIXTURES, 'fake-k6'), '--time-scale', '60', '--out', join(tempDir(), 'x')]);
    expect(error?.code).toBe('CC_ERR_USAGE');
    expect(error?.message).toBe(
      '--time-scale 60 asks for a peak of 600 requests per wall second from stampede/baseline, above --max-rps 150 (what this machine can drive); the largest feasible scale is 10 (or pass --time-scale auto)',
    );
  });

  it('--time-scale auto runs at the largest feasible scale', async () => {
    // tiny-live: 3 a second; 30× is 90 a second, 60× would be 180, above 150.
    const { out, error } = await runCli(['live', join(FIXTURES, 'tiny-live.ts'), '--k6', join(FIXTURES, 'fake-k6'), '--time-scale', 'auto', '--out', join(tempDir(), 'auto')]);
    expect(error).toBeUndefined();
    expect(out).toContain('  live           time scale 30; 60 requests (simulator: 60), 0 dropped iterations, 0 unexpected responses');
  });

  it('refuses a --max-rps that is not a positive number', async () => {
    const { error } = await runCli(['live', 'stampede', '--k6', join(FIXTURES, 'fake-k6'), '--max-rps', 'lots', '--out', join(tempDir(), 'x')]);
    expect(error?.code).toBe('CC_ERR_USAGE');
    expect(error?.message).toBe('--max-rps must be a positive number of requests per wall second, got "lots"');
  });
});
