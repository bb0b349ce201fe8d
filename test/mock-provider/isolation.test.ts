import { afterEach, describe, expect, it } from 'vitest';
import { startServer, textOfTokens, waitForRows, type TestServer } from './helpers.ts';

const body = {
  model: 'claude-sonnet-4-6',
  max_tokens: 20,
  system: [{ type: 'text', text: textOfTokens(1_500, 'isolation'), cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: 'Hi.' }],
};

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const send = (s: TestServer, key: string) =>
  fetch(`${s.origin}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) }).then(
    (r) => r.json() as Promise<{ usage: { cache_read_input_tokens: number; cache_creation_input_tokens: number } }>,
  );

describe('tenant isolation and provider events', () => {
  it('never lets organisations with different keys share cache entries', async () => {
    server = await startServer('anthropic', { apiKeys: { 'sk-one': 'acme', 'sk-two': 'acme', 'sk-three': 'globex' } });
    await send(server, 'sk-one');
    server.clock.advance(2_000);
    const sameOrganisation = await send(server, 'sk-two');
    const otherOrganisation = await send(server, 'sk-three');
    const derived = await send(server, 'cc-initech');
    expect(sameOrganisation.usage.cache_read_input_tokens).toBe(1_500);
    expect(otherOrganisation.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 1_500 });
    expect(derived.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 1_500 });
    const rows = await waitForRows(server, 4);
    expect(rows.map((r) => r.tenant)).toEqual(['acme', 'acme', 'globex', 'initech']);
  });

  // Issue 16, item 2: `cc-<org>` named the organisation of a hashed or configured key and read its cache.
  it('never lets a cc-<org> key name the organisation of a hashed or configured key', async () => {
    server = await startServer('anthropic', { apiKeys: { 'sk-acme-key': 'acme' } });
    await send(server, 'sk-ant-api03-secret');
    await send(server, 'sk-acme-key');
    const [hashed] = await waitForRows(server, 2);
    server.clock.advance(2_000);
    const raw = (key: string) =>
      server!.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': key }, payload: body });
    const intoHashed = await raw(`cc-${hashed.tenant}`);
    const intoConfigured = await raw('cc-acme');
    expect(intoHashed.statusCode).toBe(401);
    expect(intoHashed.json().error).toEqual({
      type: 'authentication_error',
      message: `cc-${hashed.tenant}: a cc-<org> key cannot name organisation ${hashed.tenant}, which belongs to other API keys`,
    });
    expect(intoConfigured.statusCode).toBe(401);
    // An organisation nobody's key maps to is still free to name, and reads nobody's cache.
    expect((await send(server, 'cc-org-fresh')).usage.cache_read_input_tokens).toBe(0);
    const rows = await waitForRows(server, 5);
    expect(rows.map((r) => [r.tenant, r.status, r.cacheReadTokens])).toEqual([
      [hashed.tenant, 200, 0],
      ['acme', 200, 0],
      ['', 401, 0],
      ['', 401, 0],
      ['org-fresh', 200, 0],
    ]);
  });

  it('refuses a cc-<org> key naming a configured organisation on the OpenAI wire too', async () => {
    server = await startServer('openai', { apiKeys: { 'sk-globex': 'globex' } });
    const response = await server.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer cc-globex' },
      payload: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi.' }] },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
  });

  it('keeps /metrics, which lists organisations, behind the admin token when one is set', async () => {
    const token = 'metrics-token-0123456789';
    server = await startServer('anthropic', { adminToken: token });
    await send(server, 'cc-acme');
    await waitForRows(server, 1);
    expect((await server.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await server.app.inject({ url: '/metrics', headers: { 'x-admin-token': '' } })).statusCode).toBe(401);
    const scraped = await server.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('organisation="acme"');
  });

  it('keeps a key that is not listed out of the ledger', async () => {
    server = await startServer('anthropic');
    await send(server, 'sk-ant-api03-secret');
    const [row] = await waitForRows(server, 1);
    expect(row.tenant).toMatch(/^org-[0-9a-f]{8}$/);
  });

  it('makes the next identical request a miss after a tokenizer upgrade event', async () => {
    server = await startServer('anthropic');
    await send(server, 'cc-acme');
    server.clock.advance(2_000);
    expect((await send(server, 'cc-acme')).usage.cache_read_input_tokens).toBe(1_500);
    const applied = await fetch(`${server.origin}/admin/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'tokenizer-upgrade', model: 'claude-sonnet-4-6' }),
    });
    expect(applied.status).toBe(200);
    server.clock.advance(2_000);
    expect((await send(server, 'cc-acme')).usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 1_500 });
    await waitForRows(server, 3);
    expect(server.events()).toEqual([
      { kind: 'event', atMs: server.clock.nowMs() - 2_000, scenario: 'serve', variant: 'default', source: 'provider', name: 'tokenizer-upgrade', label: 'tokenizer upgrade (claude-sonnet-4-6)' },
    ]);
  });

  it('refuses an event that names something that does not exist, naming the field', async () => {
    server = await startServer('anthropic');
    const post = (event: unknown) =>
      server!.app.inject({ method: 'POST', url: '/admin/events', payload: event as object }).then((r) => [r.statusCode, r.json().error.message]);
    expect(await post({ kind: 'node-drain', node: 99 })).toEqual([400, 'event.node: no node 99']);
    expect(await post({ kind: 'capacity-cut', factor: 2 })).toEqual([400, 'factor: too big: expected number to be <=1']);
    expect(await post({ kind: 'meteor' })).toEqual([
      400,
      'kind: expected one of tokenizer-upgrade, alias-repoint, capacity-cut, ttl-change, quota-change, node-drain, faults',
    ]);
  });
});
