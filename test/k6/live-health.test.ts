import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthOf, k6Warning, withFirstAttempts } from '../../k6/live-health.ts';
import { fixedIterations } from '../../k6/plan.ts';
import { loadScenario } from '../../bin/cli/load-scenario.ts';
import { isUnexpectedStatus } from '../../k6/bundle/unexpected-status.ts';
import { ROOT, tempDir } from './helpers.ts';

const summaryFile = (figures: Record<string, number>): string => {
  const path = join(tempDir(), 'k6-summary.json');
  writeFileSync(path, JSON.stringify({ cachecast: figures, k6: {} }));
  return path;
};

describe('whether a live run sent its traffic', () => {
  it('is degraded when k6 dropped iterations, naming how many', () => {
    const health = healthOf(summaryFile({ droppedIterations: 768, responses: 5_231, unexpectedResponses: 0 }), [], 5_231, 6_000);
    expect(health.degraded).toEqual(['k6 dropped 768 iterations: that traffic was never sent']);
  });

  it('is degraded when over 1 % of responses are errors no scenario asks for (a profile on the other wire: all 404)', () => {
    expect(healthOf(summaryFile({ droppedIterations: 0, responses: 60, unexpectedResponses: 60 }), [], 0, 60).degraded).toEqual([
      '60 of 60 responses (100.0 %) were errors the scenario does not ask for',
    ]);
    // 1 in 100 is within the 1 % allowed.
    expect(healthOf(summaryFile({ droppedIterations: 0, responses: 100, unexpectedResponses: 1 }), [], 100, 100).degraded).toEqual([]);
  });

  it('is degraded when fewer first attempts went out than the simulator sends, with no iteration dropped', () => {
    const healthy = healthOf(summaryFile({ droppedIterations: 0, responses: 488, unexpectedResponses: 0 }), [], 488, 500);
    expect(withFirstAttempts(healthy, 488, 500).degraded).toEqual(['sent 488 of the 500 requests the simulator sends (first attempts): the rest were never sent']);
    expect(withFirstAttempts(healthy, 500, 500).degraded).toEqual([]);
    // A VU loop's count depends on latency: nothing to compare.
    expect(withFirstAttempts(healthy, 488, undefined).degraded).toEqual([]);
  });

  it('compares first attempts only when every executor starts a fixed number of iterations', async () => {
    const stampede = await loadScenario('stampede', ROOT);
    expect(fixedIterations(stampede.setup('single-flight'))).toBe(true);
    const loop = { ...stampede.setup('baseline'), traffic: { agents: { executor: 'constant-vus' as const, vus: 2, duration: '1m', build: () => null } } };
    expect(fixedIterations(loop)).toBe(false);
  });

  it('is degraded when k6 wrote no summary', () => {
    expect(healthOf(join(tempDir(), 'none.json'), [], 0, 60).degraded).toEqual(['k6 wrote no summary (handleSummary did not run)']);
  });

  it('reads the message of k6 warnings and errors, and nothing else', () => {
    expect(k6Warning('time="2026-11-30T04:55:15Z" level=warning msg="Insufficient VUs, reached 30 active VUs and cannot initialize more" executor=constant-arrival-rate scenario=agents'))
      .toBe('Insufficient VUs, reached 30 active VUs and cannot initialize more');
    expect(k6Warning('time="2026-11-30T04:55:15Z" level=info msg="starting"')).toBeUndefined();
    expect(k6Warning('running (0m30.7s), 083/177 VUs, 1211 complete and 0 interrupted iterations')).toBeUndefined();
  });

  it('counts 404, 400, 401 and no response as unexpected; 200, 429 and the model\'s 5xx as not', () => {
    expect([0, 400, 401, 404, 413].map(isUnexpectedStatus)).toEqual([true, true, true, true, true]);
    expect([200, 429, 500, 529].map(isUnexpectedStatus)).toEqual([false, false, false, false]);
  });
});
