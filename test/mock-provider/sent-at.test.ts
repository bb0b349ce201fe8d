// A request's provider time from the send instant its client names (mock-provider/sent-at.ts), as
// `cachecast live` runs the mock provider: loopback transit and the event loop's queue are not the
// scenario's. Manual clock (manual clock: provider time = wall epoch ms, scale 1), so exact.

import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, createWallClock } from '../../mock-provider/clock.ts';
import { arrivalMs, sentAtOf } from '../../mock-provider/sent-at.ts';
import { startServer, textOfTokens, type TestServer, waitForRows } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

describe('arrivalMs', () => {
  it('is the send instant in provider time, never after now nor before the previous request', () => {
    const clock = createManualClock(T0);
    clock.advance(1_000);
    expect(arrivalMs(clock, T0 + 997, T0)).toBe(T0 + 997);
    // Sent "later" than now: now.
    expect(arrivalMs(clock, T0 + 5_000, T0)).toBe(T0 + 1_000);
    // Before the previous request: the previous request's time.
    expect(arrivalMs(clock, T0 + 990, T0 + 995)).toBe(T0 + 995);
    expect(arrivalMs(clock, undefined, T0)).toBe(T0 + 1_000);
  });

  it('puts a request sent at the clock\'s start at the start exactly, and one sent before it there too', () => {
    // A live window's clock: provider time from the window's first instant, started at a named wall
    // instant; the window's first request is sent at that instant and must not land before it.
    const windowStartMs = 1_778_594_400_000;
    for (const timeScale of [1, 10, 30, 60]) {
      const clock = createWallClock({ timeScale, startAtMs: windowStartMs, paused: true });
      const startWallMs = Date.now() - 37.25;
      clock.start(startWallMs);
      expect(arrivalMs(clock, startWallMs, Number.NEGATIVE_INFINITY)).toBe(windowStartMs);
      expect(arrivalMs(clock, startWallMs - 5, Number.NEGATIVE_INFINITY)).toBe(windowStartMs);
      expect(arrivalMs(clock, startWallMs + 2, Number.NEGATIVE_INFINITY)).toBe(windowStartMs + 2 * timeScale);
    }
  });

  it('reads the header as a positive number of epoch ms, or not at all', () => {
    expect(sentAtOf('1796058017541.5')).toBe(1796058017541.5);
    expect(sentAtOf('soon')).toBeUndefined();
    expect(sentAtOf('-3')).toBeUndefined();
    expect(sentAtOf(undefined)).toBeUndefined();
  });
});

describe('the mock provider with clientSendTimes', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const send = (s: TestServer, sentAt: number) =>
    fetch(`${s.origin}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'cc-acme', 'anthropic-version': '2023-06-01', 'x-cachecast-sent-at': String(sentAt) },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: textOfTokens(100) }] }),
    });

  it('records the request at its send instant, 3 ms before it reached the server', async () => {
    server = await startServer('anthropic', { clock: createManualClock(T0), clientSendTimes: true });
    server.clock.advance(10_000);
    expect((await send(server, T0 + 9_997)).status).toBe(200);
    const [row] = await waitForRows(server, 1);
    expect(row.atMs).toBe(T0 + 9_997);
  });

  it('ignores the header otherwise (any other client of `serve`)', async () => {
    server = await startServer('anthropic', { clock: createManualClock(T0) });
    server.clock.advance(10_000);
    expect((await send(server, T0 + 9_997)).status).toBe(200);
    const [row] = await waitForRows(server, 1);
    expect(row.atMs).toBe(T0 + 10_000);
  });
});
