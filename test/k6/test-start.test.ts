// The bundle's side of a live run's start (k6/bundle/test-start.ts): setup() asks the control
// endpoint to start provider time a lead ahead and hands the origin it answers to every iteration,
// and each arrival is sent no earlier than its own instant on that origin, however early the
// executor started it. Run in the harness (its executors start iterations at once after setup).

import { describe, expect, it } from 'vitest';
import { START_LEAD_WALL_MS } from '../../k6/bundle/test-start.ts';
import type { HttpRequest, HttpResponse } from './harness/host.ts';
import { runK6 } from './harness/runner.ts';
import { bundleOf, FIXTURES, tempDir } from './helpers.ts';
import { join } from 'node:path';

const CONTROL = 'http://control.test';
const ok = (body: string): HttpResponse => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body, timings: { waiting: 0, duration: 0 } });

describe('a live run\u2019s start, as the bundle keeps it', () => {
  it('sends arrival k at origin + k intervals, the origin being the one the control endpoint answers', async () => {
    // tiny-live: 3 arrivals a provider second for 20 s; at 10× one every 33.3 wall ms, 60 in 2 s.
    const bundle = await bundleOf(join(FIXTURES, 'tiny-live.ts'), 'baseline', 10);
    const asked: number[] = [];
    // The origin in force is another instance's: 40 ms later than this one's lead would give.
    let adopted = 0;
    const sent: Array<{ k: number; atWallMs: number }> = [];
    const handler = async (request: HttpRequest): Promise<HttpResponse> => {
      if (request.url.startsWith(CONTROL)) {
        asked.push((JSON.parse(request.body) as { leadMs: number }).leadMs);
        adopted = Date.now() + asked[0] + 40;
        return ok(JSON.stringify({ originWallMs: adopted }));
      }
      sent.push({ k: Number(request.headers['x-cachecast-iteration']), atWallMs: Date.now() });
      return ok(JSON.stringify({ id: 'msg', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } }));
    };
    const run = await runK6({ scriptPath: bundle.path, cwd: tempDir(), maxVus: 8, env: { CACHECAST_CONTROL_URL: CONTROL, CACHECAST_SUMMARY: 'k6-summary.json' }, handler });
    expect(run.errors).toEqual([]);
    expect(asked).toEqual([START_LEAD_WALL_MS]);
    expect(sent.map((s) => s.k).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, k) => k));
    // Never before its instant on the adopted origin (Date.now() whole milliseconds: 1 ms slack).
    const early = sent.filter(({ k, atWallMs }) => atWallMs < adopted + (k * 1_000) / 3 / 10 - 1);
    expect(early).toEqual([]);
  });
});
