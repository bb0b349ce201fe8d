// handleSummary and the live account on real k6: a small scenario, every request the simulator
// sends, k6's own summary rendered by cachecast on every k6 version the suite has.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k6Binaries, ROOT } from './k6-binaries.ts';
import { live } from './helpers.ts';

const TINY = join(ROOT, 'test/k6/fixtures/tiny-live.ts');

describe.each(k6Binaries())('k6 $version: handleSummary and the live account', (k6) => {
  it('renders the summary and sends every request the simulator sends (60), none dropped', async () => {
    // 20 s of provider time in 4 s: slow enough that a busy machine sends every request on time.
    const run = await live(TINY, k6, 'no-event', 5);
    expect(run.error).toBeUndefined();
    // handleSummary's text went to k6's stdout, which cachecast passes through.
    expect(run.out).toContain('cachecast tiny-live/no-event → http://127.0.0.1:');
    expect(run.out).toMatch(/responses \.+ 60 {3}rate limited 0\.00 %/);
    expect(run.out).toContain('live           time scale 5; 60 requests (simulator: 60), 0 dropped iterations, 0 unexpected responses');
    expect(run.requests).toHaveLength(60);
    expect(run.k6.responses).toBe(60);
    expect(run.k6.droppedIterations).toBe(0);
    expect(run.k6.unexpectedResponses).toBe(0);
    // k6's token counters agree with the mock provider's ledger to the token.
    expect(run.k6.cacheReadTokens).toBe(run.summary.totals.cacheReadTokens);
    expect(run.k6.outputTokens).toBe(run.summary.totals.outputTokens);
  });
});
