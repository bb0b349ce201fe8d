import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../mock-provider/clock.ts';
import { startServer, textOfTokens, waitForRows, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const body = {
  model: 'claude-sonnet-4-6',
  max_tokens: 40,
  system: [{ type: 'text', text: textOfTokens(1_100, 'ledger'), cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: 'Hi.' }],
};

const send = (s: TestServer, headers: Record<string, string> = {}, payload: object = body) =>
  s.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme', ...headers }, payload });

describe('the ledger', () => {
  it('writes exactly one row per request, 2xx or 4xx, with session, class and attempt from headers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachecast-ledger-'));
    const ledgerPath = join(dir, 'ledger.ndjson');
    server = await startServer('anthropic', { ledgerPath, scenario: 'stampede', variant: 'jitter' });
    await send(server, { 'x-cachecast-session': 's-1', 'x-cachecast-class': 'batch', 'x-cachecast-attempt': '2' });
    await send(server, { 'x-api-key': '' }); // no key: 401
    await send(server, {}, { ...body, model: 'claude-nope' }); // 404
    await server.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme', 'content-type': 'application/json' }, payload: '{' });
    await server.app.inject({ url: '/v1/models', headers: { 'x-api-key': 'cc-acme' } }); // not a model request: no row
    await server.app.inject({ url: '/metrics' });
    await server.close();
    const lines = (await readFile(ledgerPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    server = undefined;
    expect(lines.map((r) => [r.status, r.tenant, r.session, r.class, r.attempt, r.scenario, r.variant])).toEqual([
      [200, 'acme', 's-1', 'batch', 2, 'stampede', 'jitter'],
      [401, '', '', 'interactive', 0, 'stampede', 'jitter'],
      [404, 'acme', '', 'interactive', 0, 'stampede', 'jitter'],
      [400, 'acme', '', 'interactive', 0, 'stampede', 'jitter'],
    ]);
    expect(Object.keys(lines[0])).toEqual([
      'kind', 'atMs', 'scenario', 'variant', 'tenant', 'session', 'class', 'model', 'node', 'affinity', 'status', 'inputTokens', 'cacheReadTokens',
      'cacheWriteTokens', 'cacheWrite1hTokens', 'outputTokens', 'costUsd', 'ttftMs', 'latencyMs', 'retryAfterMs', 'attempt',
    ]);
  });

  it('gives the same ledger bytes for the same seed and requests', async () => {
    const run = async (): Promise<string> => {
      const s = await startServer('anthropic', { seed: 'same', overrides: { faults: { overloadRate: 0.3 } } });
      const answers: string[] = [];
      for (let i = 0; i < 12; i++) {
        answers.push((await send(s, { 'x-api-key': `cc-t${i % 3}` })).body);
        s.clock.advance(700);
      }
      const ledger = (await s.app.inject({ url: '/admin/ledger' })).body;
      await s.close();
      return ledger + answers.join('');
    };
    expect(await run()).toBe(await run());
  });
});

describe('latency', () => {
  /** A manual clock that records every wait it is asked for. */
  const recordingClock = (): ManualClock & { waits: number[] } => {
    const clock = createManualClock();
    const waits: number[] = [];
    return { ...clock, waits, wait: (ms: number) => (waits.push(ms), Promise.resolve()) };
  };

  it('waits the whole latency before a non-streaming answer', async () => {
    const clock = recordingClock();
    server = await startServer('anthropic', { clock });
    await send(server);
    const [row] = await waitForRows(server, 1);
    // The ledger keeps microseconds; the wait is the model's exact figure.
    expect(clock.waits).toHaveLength(1);
    expect(clock.waits[0]).toBeCloseTo(row.latencyMs, 2);
  });

  it('waits the time to first token, then spreads the decode time between chunks', async () => {
    const clock = recordingClock();
    server = await startServer('anthropic', { clock });
    await send(server, {}, { ...body, stream: true });
    const [row] = await waitForRows(server, 1);
    expect(clock.waits[0]).toBeCloseTo(row.ttftMs, 2);
    expect(clock.waits).toHaveLength(40); // 40 one-token chunks: the first after the TTFT, 39 gaps
    const decodeMs = clock.waits.slice(1).reduce((a, b) => a + b, 0);
    expect(decodeMs).toBeCloseTo(row.latencyMs - row.ttftMs, 2);
  });
});

describe('admin routes and metrics', () => {
  it('changes the config live and resets to the start', async () => {
    server = await startServer('anthropic');
    const patched = await server.app.inject({ method: 'PATCH', url: '/admin/config', payload: { caching: { ttlMs: { '5m': 1_000 } } } });
    expect(patched.json()).toMatchObject({ rebuilt: false, config: { caching: { ttlMs: { '5m': 1_000, '1h': 3_600_000 } } } });
    await send(server);
    server.clock.advance(2_000); // past the shortened TTL
    expect((await send(server)).json().usage.cache_read_input_tokens).toBe(0);
    const reset = await server.app.inject({ method: 'POST', url: '/admin/reset' });
    expect(reset.json().name).toBe('reset');
    expect((await server.app.inject({ url: '/admin/config' })).json().caching.ttlMs['5m']).toBe(300_000);
    expect((await server.app.inject({ url: '/admin/summary' })).json().totals.requests).toBe(0);
  });

  it('refuses a config override naming the bad field, and keeps the running config', async () => {
    server = await startServer('anthropic');
    const before = (await server.app.inject({ url: '/admin/config' })).json();
    for (const [payload, message] of [
      [{ latency: { baseMs: 'slow' } }, /^latency\.baseMs: /],
      [{ faults: { errorRate: 2 } }, /^faults\.errorRate: /],
      [{ nodes: { cuont: 3 } }, /^nodes: unrecognized key: "cuont"/],
    ] as const) {
      const answer = await server.app.inject({ method: 'PATCH', url: '/admin/config', payload });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error.message).toMatch(message);
    }
    expect((await server.app.inject({ url: '/admin/config' })).json()).toEqual(before);
    expect((await send(server)).statusCode).toBe(200);
  });

  it('summarises the traffic so far', async () => {
    server = await startServer('anthropic');
    await send(server);
    server.clock.advance(2_000);
    await send(server);
    await waitForRows(server, 2);
    const summary = (await server.app.inject({ url: '/admin/summary' })).json();
    expect(summary).toMatchObject({ scenario: 'serve', variant: 'default', driver: 'live', durationMs: 2_000 });
    expect(summary.totals).toMatchObject({ requests: 2, ok: 2, cacheReadTokens: 1_100, cacheWriteTokens: 1_100, inputTokens: 2 * 1, outputTokens: 80 });
  });

  it('exposes requests, tokens, cost, hit ratio, 429s and TTFT in Prometheus format', async () => {
    server = await startServer('anthropic');
    await send(server);
    server.clock.advance(2_000);
    await send(server);
    await waitForRows(server, 2);
    const metrics = (await server.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/cachecast_requests_total\{organisation="acme",node="\d",model="claude-sonnet-4-6",status="200"\} 2/);
    expect(metrics).toMatch(/cachecast_tokens_total\{organisation="acme",node="\d",kind="cache_read"\} 1100/);
    expect(metrics).toContain('cachecast_cache_hit_ratio{organisation="acme"} 0.4995');
    expect(metrics).toMatch(/cachecast_ttft_seconds_count\{organisation="acme",node="\d"\} 2/);
    expect(metrics).toContain('# TYPE cachecast_rate_limited_total counter');
    // Counters catch up at each scrape: a third request counts once, not again with the first two.
    server.clock.advance(2_000);
    await send(server);
    await waitForRows(server, 3);
    const again = (await server.app.inject({ url: '/metrics' })).body;
    expect(again).toMatch(/cachecast_requests_total\{organisation="acme",node="\d",model="claude-sonnet-4-6",status="200"\} 3/);
    expect(again).toMatch(/cachecast_tokens_total\{organisation="acme",node="\d",kind="cache_read"\} 2200/);
  });

  it('requires the admin token on /admin when one is set', async () => {
    server = await startServer('anthropic', { adminToken: 'open-sesame-0123456789' });
    expect((await server.app.inject({ url: '/admin/summary' })).statusCode).toBe(401);
    expect((await server.app.inject({ url: '/admin/summary', headers: { authorization: 'Bearer open-sesame-0123456789' } })).statusCode).toBe(200);
    expect((await server.app.inject({ url: '/admin/summary', headers: { 'x-admin-token': 'open-sesame-0123456789' } })).statusCode).toBe(200);
  });

  // Issue 16, item 5: an empty token started the server and an empty header got 200.
  it('refuses an empty or short admin token at start, and an empty header', async () => {
    await expect(startServer('anthropic', { adminToken: '' })).rejects.toThrow('the admin token must be at least 16 characters (got 0)');
    await expect(startServer('anthropic', { adminToken: 'short' })).rejects.toThrow('at least 16 characters (got 5)');
    server = await startServer('anthropic', { adminToken: 'open-sesame-0123456789' });
    expect((await server.app.inject({ url: '/admin/summary', headers: { 'x-admin-token': '' } })).statusCode).toBe(401);
    expect((await server.app.inject({ url: '/admin/summary', headers: { 'x-admin-token': 'open-sesame-012345678' } })).statusCode).toBe(401);
  });

  it('streams the ledger live to a follower until the server closes', async () => {
    server = await startServer('anthropic');
    await send(server);
    const response = await fetch(`${server.origin}/admin/ledger?follow=true`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    await send(server);
    while (text.trim().split('\n').length < 2) text += decoder.decode((await reader.read()).value);
    expect(text.trim().split('\n').map((line) => JSON.parse(line).status)).toEqual([200, 200]);
    await server.close();
    server = undefined;
    expect((await reader.read()).done).toBe(true);
  });
});
