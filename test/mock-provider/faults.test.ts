// Injected faults on the wire: a 500 in each provider's error shape, marked retryable, recorded
// in the ledger and the summary; and a mock provider built from a bad config refuses to start.

import { afterEach, describe, expect, it } from 'vitest';
import { buildMockProvider } from '../../mock-provider/app.ts';
import { configFor, startServer, waitForRows, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const hello = { max_tokens: 10, messages: [{ role: 'user', content: 'Hello.' }] };

describe('injected internal errors', () => {
  it('answers a 500 api_error on the Anthropic wire, retryable, and counts it', async () => {
    server = await startServer('anthropic', { overrides: { faults: { errorRate: 1 } } });
    const answer = await server.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme' }, payload: { model: 'claude-sonnet-4-6', ...hello } });
    expect(answer.statusCode).toBe(500);
    expect(answer.headers['x-should-retry']).toBe('true');
    expect(answer.json()).toMatchObject({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } });
    const [row] = await waitForRows(server, 1);
    expect([row.status, row.costUsd, row.inputTokens]).toEqual([500, 0, 0]);
    expect((await server.app.inject({ url: '/admin/summary' })).json().totals).toMatchObject({ requests: 1, ok: 0, serverErrors: 1 });
  });

  it('answers a 500 server_error on the OpenAI wire', async () => {
    server = await startServer('openai', { overrides: { faults: { errorRate: 1 } } });
    const answer = await server.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: 'Bearer cc-acme' }, payload: { model: 'gpt-4o', ...hello } });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toEqual({ error: { message: expect.stringMatching(/^The server had an error/), type: 'server_error', param: null, code: null } });
  });

  it('answers 500 at about the configured rate, the rest normally', async () => {
    server = await startServer('anthropic', { overrides: { faults: { errorRate: 0.2 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const answer = await server.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme' }, payload: { model: 'claude-sonnet-4-6', ...hello } });
      statuses.push(answer.statusCode);
      server.clock.advance(1_000);
    }
    const errors = statuses.filter((s) => s === 500).length;
    // Binomial(300, 0.2): mean 60, σ ≈ 6.9; ±4σ.
    expect(errors).toBeGreaterThan(32);
    expect(errors).toBeLessThan(88);
    expect(statuses.filter((s) => s !== 500 && s !== 200)).toEqual([]);
  });
});

describe('faults as a provider event', () => {
  it('starts and ends an incident on a running server, with event rows for the charts', async () => {
    server = await startServer('anthropic');
    const post = (payload: object) => server!.app.inject({ method: 'POST', url: '/admin/events', payload });
    const send = () => server!.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme' }, payload: { model: 'claude-sonnet-4-6', ...hello } });
    expect((await post({ kind: 'faults', errorRate: 1 })).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(500);
    expect((await post({ kind: 'faults', errorRate: 0 })).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(200);
    expect(server.events().map((e) => (e.kind === 'event' ? e.label : ''))).toEqual(['faults: 500s 100 %', 'faults cleared']);
    const empty = await post({ kind: 'faults' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/name at least one of overloadRate/);
  });
});

describe('a bad config', () => {
  it('stops the factory with the field named', async () => {
    const config = configFor('anthropic', { latency: { decodeTokensPerSec: -1 } });
    await expect(buildMockProvider({ config })).rejects.toThrow(/^config\.latency\.decodeTokensPerSec: /);
  });
});
