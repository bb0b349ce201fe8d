import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createWallClock } from '../../mock-provider/clock.ts';
import { startServer, textOfTokens, waitForRows, type TestServer } from './helpers.ts';

const MODEL = 'claude-sonnet-4-6';
const SYSTEM = textOfTokens(2_000, 'anthropic-sdk');

const request = {
  model: MODEL,
  max_tokens: 100,
  system: [{ type: 'text' as const, text: SYSTEM, cache_control: { type: 'ephemeral' as const } }],
  messages: [{ role: 'user' as const, content: 'Summarise.' }], // 10 characters: 3 tokens
};

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const clientFor = (s: TestServer, maxRetries = 0) => new Anthropic({ apiKey: 'cc-acme', baseURL: s.origin, maxRetries });

describe('the official Anthropic SDK against the mock provider', () => {
  it('writes the cache on a first call and reads it on an identical second call, with exact token counts', async () => {
    server = await startServer('anthropic');
    const client = clientFor(server);
    const first = await client.messages.create(request);
    server.clock.advance(5_000);
    const second = await client.messages.create(request);

    expect(first.usage).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 2_000, cache_read_input_tokens: 0, output_tokens: 100 });
    expect(first.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 2_000, ephemeral_1h_input_tokens: 0 });
    expect(second.usage).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 2_000, output_tokens: 100 });
    expect(first.model).toBe('claude-sonnet-4-6');
    // 200 output tokens wanted (the default), capped at max_tokens.
    expect(first.stop_reason).toBe('max_tokens');
    // Same request, same seed: same text.
    expect(second.content).toEqual(first.content);
    const rows = await waitForRows(server, 2);
    expect(rows.map((r) => [r.status, r.cacheWriteTokens, r.cacheReadTokens, r.tenant])).toEqual([
      [200, 2_000, 0, 'acme'],
      [200, 0, 2_000, 'acme'],
    ]);
  });

  it('yields the same usage through the stream helper as without streaming', async () => {
    server = await startServer('anthropic');
    const client = clientFor(server);
    const plain = await client.messages.create(request);
    server.clock.advance(5_000);
    const streamed = await client.messages.stream(request).finalMessage();
    server.clock.advance(5_000);
    const again = await client.messages.create(request);

    expect(plain.usage.cache_creation_input_tokens).toBe(2_000);
    expect(streamed.usage).toMatchObject({ input_tokens: 3, cache_read_input_tokens: 2_000, cache_creation_input_tokens: 0, output_tokens: 100 });
    expect(streamed.usage).toMatchObject({ ...again.usage });
    expect(streamed.content).toEqual(again.content);
  });

  it("waits out a 429's retry-after with the SDK's own retries", async () => {
    // One request per provider minute; at 600× a provider minute is 100 ms of wall time.
    server = await startServer('anthropic', {
      clock: createWallClock({ timeScale: 600 }),
      overrides: { quotas: [{ name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: 1, windowMs: 60_000 }] },
    });
    const client = clientFor(server, 2);
    await client.messages.create(request);
    const retried = await client.messages.create(request).withResponse();
    expect(retried.response.status).toBe(200);
    const rows = await waitForRows(server, 3);
    expect(rows.map((r) => [r.status, r.attempt])).toEqual([
      [200, 0],
      [429, 0],
      [200, 1],
    ]);
    expect(rows[1].retryAfterMs).toBeGreaterThan(0);
    expect(rows[1].retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('pre-warms with max_tokens: 0: the cache is written and the content is empty', async () => {
    server = await startServer('anthropic');
    const client = clientFor(server);
    const warm = await client.messages.create({ ...request, max_tokens: 0 });
    expect(warm.content).toEqual([]);
    expect(warm.stop_reason).toBe('max_tokens');
    expect(warm.usage).toMatchObject({ cache_creation_input_tokens: 2_000, output_tokens: 0 });
    server.clock.advance(5_000);
    const real = await client.messages.create(request);
    expect(real.usage.cache_read_input_tokens).toBe(2_000);
  });

  it('finds an entry behind 25 tool calls and 25 results: each run is one lookback position (issue 13, item 2; §1.4)', async () => {
    server = await startServer('anthropic');
    const client = clientFor(server);
    const system = textOfTokens(2_000, 'agent');
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 10,
      system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Go.' }],
    });
    expect(first.usage.cache_creation_input_tokens).toBe(2_000);
    server.clock.advance(5_000);
    const calls = Array.from({ length: 25 }, (_, i) => ({ type: 'tool_use' as const, id: `toolu_${i}`, name: 'search', input: { query: `page ${i}` } }));
    const results = Array.from({ length: 25 }, (_, i) => ({ type: 'tool_result' as const, tool_use_id: `toolu_${i}`, content: `result ${i}` }));
    const turn = await client.messages.create({
      model: MODEL,
      max_tokens: 10,
      tools: [],
      system: [{ type: 'text', text: system }],
      messages: [
        { role: 'user', content: 'Go.' },
        { role: 'assistant', content: calls },
        { role: 'user', content: [...results.slice(0, -1), { ...results[24], cache_control: { type: 'ephemeral' } }] },
      ],
    });
    // 52 blocks, but 4 positions from the breakpoint back to the system prompt: the 2,000-token entry is read.
    expect(turn.usage.cache_read_input_tokens).toBe(2_000);
    expect(turn.usage.input_tokens).toBe(0);
  });
});
