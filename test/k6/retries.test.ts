import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleOf, FIXTURES, type LiveInProcess, runAgainstMock } from './helpers.ts';

let live: LiveInProcess;
beforeAll(async () => {
  live = await runAgainstMock(await bundleOf(join(FIXTURES, 'retries.ts'), 'baseline', 10), 'baseline', 10);
});
afterAll(async () => {
  await live.app.close();
});

it('retries a 429 after retry-after, numbering attempts, at most maxRetries times', () => {
  const rows = live.rows();
  const limited = rows.filter((r) => r.status === 429);
  expect(limited.length).toBeGreaterThan(0);
  expect(rows.some((r) => r.attempt === 1)).toBe(true);
  expect(Math.max(...rows.map((r) => r.attempt))).toBeLessThanOrEqual(2);
  // Every 429 but a final one is followed by a retry of the same session, unless the retry would
  // start after the scenario's 2 s (the simulator's rule too).
  const endMs = Date.parse('2026-02-02T10:00:02Z');
  for (const row of limited.filter((r) => r.attempt < 2 && r.atMs + r.retryAfterMs < endMs - 200)) {
    expect(rows.some((r) => r.session === row.session && r.attempt === row.attempt + 1), row.session).toBe(true);
  }
  const rateLimited = live.run.samples.filter((s) => s.metric === 'rate_limited');
  expect(rateLimited).toHaveLength(rows.length);
  expect(rateLimited.filter((s) => s.value === 1)).toHaveLength(limited.length);
});
