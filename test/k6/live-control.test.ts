// The start a live run's k6 asks for in setup() (k6/bundle/test-start.ts): the mock provider's clock
// starts a lead after the request, not when it arrives, and every k6 instance is told that origin. Before, the clock started when setup() called, and k6 started its scenarios
// 4 to 7 ms (wall) later: 40 to 70 ms of provider time at 10×, refill a token bucket gave each
// request that the simulator's did not.

import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWallClock } from '../../mock-provider/clock.ts';
import { createStartControl } from '../../k6/live-control.ts';
import { leadOf } from '../../k6/bundle/test-start.ts';

const START = Date.UTC(2026, 9, 6, 0, 12);
const servers: Array<{ close: () => void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

const control = async (onStart: (originWallMs: number) => void = () => {}) => {
  const clock = createWallClock({ timeScale: 10, startAtMs: START, paused: true });
  const server = createStartControl(clock, START, onStart);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (body: string, path = '/start') => {
    const res = await fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: res.status === 200 ? ((await res.json()) as { originWallMs: number }) : undefined };
  };
  return { clock, post };
};

describe('a wall clock started at a named instant', () => {
  it('stands at its start until the instant, then maps it to the start exactly', () => {
    const clock = createWallClock({ timeScale: 10, startAtMs: START, paused: true });
    const originWallMs = Date.now() + 60_000;
    clock.start(originWallMs);
    expect(clock.started).toBe(true);
    // A minute ahead: provider time has not moved yet.
    expect(clock.nowMs()).toBe(START);
    expect(clock.toWallEpochMs(START)).toBe(originWallMs);
    // 12 provider seconds are 1.2 wall seconds at 10×.
    expect(clock.toWallEpochMs(START + 12_000)).toBe(originWallMs + 1_200);
  });

  it('started at an instant already past, runs from it', () => {
    const clock = createWallClock({ timeScale: 10, startAtMs: START, paused: true });
    const originWallMs = Date.now() - 1_000;
    clock.start(originWallMs);
    // At least the wall second since the origin, times 10.
    expect(clock.nowMs()).toBeGreaterThanOrEqual(START + 10_000);
    expect(clock.toWallEpochMs(START)).toBe(originWallMs);
  });
});

describe('the live control endpoint', () => {
  it('starts the clock the lead k6 asks for after the request, once, and answers every caller with the origin in force', async () => {
    const starts: number[] = [];
    const { clock, post } = await control((origin) => starts.push(origin));
    const before = Date.now();
    const first = await post(JSON.stringify({ leadMs: 60_000 }));
    const after = Date.now();
    expect(first.status).toBe(200);
    const originWallMs = first.body?.originWallMs ?? 0;
    expect(originWallMs).toBeGreaterThanOrEqual(before + 60_000);
    expect(originWallMs).toBeLessThanOrEqual(after + 60_000);
    expect(clock.toWallEpochMs(START)).toBe(originWallMs);
    // A minute ahead: provider time stands at the start.
    expect(clock.nowMs()).toBe(START);
    // A second k6 instance asks for its own lead: it is told the first one's origin.
    const second = await post(JSON.stringify({ leadMs: 100 }));
    expect(second).toEqual({ status: 200, body: { originWallMs } });
    expect(starts).toEqual([originWallMs]);
  });

  it('takes a lead of at most a minute, and none that is not a number', () => {
    expect(leadOf({ leadMs: 100 })).toBe(100);
    expect(leadOf({ leadMs: 3_600_000 })).toBe(60_000);
    expect(leadOf({ leadMs: -5 })).toBe(0);
    expect(leadOf({ leadMs: '100' })).toBe(0);
    expect(leadOf(null)).toBe(0);
  });

  it('starts provider time at once for a start that names no origin (an older bundle)', async () => {
    const { clock, post } = await control();
    const before = Date.now();
    const reply = await post('');
    const after = Date.now();
    expect(reply.status).toBe(200);
    expect(reply.body?.originWallMs).toBeGreaterThanOrEqual(before);
    expect(reply.body?.originWallMs).toBeLessThanOrEqual(after);
    expect(clock.started).toBe(true);
  });

  it('answers 404 to anything but POST /start, leaving the clock stopped', async () => {
    const { clock, post } = await control();
    expect((await post('{}', '/stop')).status).toBe(404);
    expect(clock.started).toBe(false);
  });
});
