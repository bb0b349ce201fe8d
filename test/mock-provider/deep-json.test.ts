// Issue 16, item 4: ~2,200 levels of nesting in a tool, a block or a message overflowed the stack
// in canonical JSON: a 500 with x-should-retry: true. Now a 400 invalid_request_error naming
// where the body went deeper than MAX_JSON_DEPTH, in each wire's shape, with its ledger row.

import { afterEach, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, tooDeepAt } from '../../core/wire/depth.ts';
import { startServer, waitForRows, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An object nested `levels` deep: {"a":{"a":…{}}}. */
const nested = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};

describe('deeply nested JSON', () => {
  it('finds the first place a value nests too deep, without recursing', () => {
    expect(tooDeepAt(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(tooDeepAt({ x: [1, nested(MAX_JSON_DEPTH)] })).toBe(`x.1${'.a'.repeat(MAX_JSON_DEPTH - 2)}`);
    expect(tooDeepAt(nested(100_000))).toBe('a'.concat('.a'.repeat(MAX_JSON_DEPTH - 1)));
    expect(tooDeepAt('text')).toBeUndefined();
  });

  it('answers a deep tool schema with the Anthropic 400, not a retryable 500', async () => {
    server = await startServer('anthropic');
    const send = (levels: number) =>
      server!.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: { 'x-api-key': 'cc-acme' },
        payload: {
          model: 'claude-sonnet-4-6',
          max_tokens: 5,
          // The tool sits at depth 3 (body, tools, tool), its schema one deeper.
          tools: [{ name: 'deep', input_schema: { type: 'object', properties: nested(levels) } }],
          messages: [{ role: 'user', content: 'Hi.' }],
        },
      });
    const deep = await send(2_300);
    expect(deep.statusCode).toBe(400);
    expect(deep.headers['x-should-retry']).toBe('false');
    expect(deep.json().error).toEqual({
      type: 'invalid_request_error',
      message: `tools.0.input_schema.properties${'.a'.repeat(MAX_JSON_DEPTH - 4)}: JSON nested deeper than ${MAX_JSON_DEPTH} levels (the mock provider's limit)`,
    });
    // At the limit exactly it is an ordinary request.
    expect((await send(MAX_JSON_DEPTH - 4)).statusCode).toBe(200);
    const rows = await waitForRows(server, 2);
    expect(rows.map((r) => r.status)).toEqual([400, 200]);
  });

  it('answers deep message content on both OpenAI routes with OpenAI\'s 400', async () => {
    server = await startServer('openai');
    const chat = await server.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer cc-acme' },
      payload: { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi.', extra: nested(3_000) }] }] },
    });
    expect(chat.statusCode).toBe(400);
    expect(chat.json().error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/^messages\.0\.content\.0\.extra(\.a)+: JSON nested deeper than 128 levels/) });
    const responses = await server.app.inject({
      method: 'POST',
      url: '/v1/responses',
      headers: { authorization: 'Bearer cc-acme' },
      payload: { model: 'gpt-4o', input: [nested(3_000)] },
    });
    expect(responses.statusCode).toBe(400);
    expect(responses.json().error.type).toBe('invalid_request_error');
    expect((await waitForRows(server, 2)).map((r) => r.status)).toEqual([400, 400]);
  });
});
