// The Responses API (POST /v1/responses) through the official OpenAI SDK: cached tokens on a
// repeat, the same usage through the stream helper, a prompt shared with Chat Completions reading
// the same cache, truncation by max_output_tokens, and the fields the mock refuses.

import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, textOfTokens, waitForRows, type TestServer } from './helpers.ts';

// Instructions of 2,000 tokens and a 3-token question: 2,003 prompt tokens; OpenAI caches 1,024
// and then 128-token steps, 1,920 in all (as in openai-sdk.test.ts).
const INSTRUCTIONS = textOfTokens(2_000, 'responses');
const request = { model: 'gpt-4o', instructions: INSTRUCTIONS, input: 'Summarise.', max_output_tokens: 50 };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const clientFor = (s: TestServer, apiKey = 'cc-acme') => new OpenAI({ apiKey, baseURL: `${s.origin}/v1`, maxRetries: 0 });

describe('the Responses API through the official OpenAI SDK', () => {
  it('misses, then reads the cached prefix on an identical call, with exact token counts', async () => {
    server = await startServer('openai', { outputTokens: () => 30 });
    const client = clientFor(server);
    const first = await client.responses.create(request);
    server.clock.advance(5_000);
    const second = await client.responses.create(request);

    expect(first.usage).toEqual({ input_tokens: 2_003, input_tokens_details: { cached_tokens: 0 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2_033 });
    expect(second.usage?.input_tokens_details.cached_tokens).toBe(1_920);
    expect([first.status, first.model, first.object]).toEqual(['completed', 'gpt-4o-2024-08-06', 'response']);
    // 30 output tokens are 120 characters: they count back to 30 under the default estimator.
    expect(first.output_text.length).toBe(120);
    expect(second.output_text).toBe(first.output_text);
    const rows = await waitForRows(server, 2);
    expect(rows.map((r) => [r.status, r.inputTokens, r.cacheWriteTokens, r.cacheReadTokens, r.outputTokens])).toEqual([
      [200, 83, 1_920, 0, 30],
      [200, 83, 0, 1_920, 30],
    ]);
  });

  it('yields the same response and usage through the stream helper, ending with response.completed', async () => {
    server = await startServer('openai', { outputTokens: () => 30 });
    const client = clientFor(server);
    await client.responses.create(request);
    server.clock.advance(5_000);
    const types: string[] = [];
    const stream = client.responses.stream(request);
    stream.on('event', (event) => types.push(event.type));
    const streamed = await stream.finalResponse();
    server.clock.advance(5_000);
    const plain = await client.responses.create(request);

    expect(streamed.usage).toEqual(plain.usage);
    expect(streamed.usage?.input_tokens_details.cached_tokens).toBe(1_920);
    expect(streamed.output_text).toBe(plain.output_text);
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    expect(types.filter((t) => t === 'response.output_text.delta').length).toBe(30);
  });

  it('reads the cache a Chat Completions call with the same prompt wrote', async () => {
    server = await startServer('openai');
    const client = clientFor(server);
    await client.chat.completions.create({
      model: 'gpt-4o',
      max_completion_tokens: 50,
      messages: [
        { role: 'developer', content: INSTRUCTIONS },
        { role: 'user', content: 'Summarise.' },
      ],
    });
    server.clock.advance(5_000);
    const response = await client.responses.create({ ...request, instructions: undefined, input: [{ role: 'developer', content: INSTRUCTIONS }, { role: 'user', content: [{ type: 'input_text', text: 'Summarise.' }] }] });
    expect(response.usage?.input_tokens_details.cached_tokens).toBe(1_920);
  });

  it('stops at max_output_tokens with status incomplete and the reason', async () => {
    server = await startServer('openai', { outputTokens: () => 400 });
    const response = await clientFor(server).responses.create({ ...request, max_output_tokens: 16 });
    expect([response.status, response.incomplete_details?.reason, response.usage?.output_tokens]).toEqual(['incomplete', 'max_output_tokens', 16]);
  });

  it('refuses what needs stored state, and a malformed input, naming the parameter', async () => {
    server = await startServer('openai');
    const client = clientFor(server);
    await expect(client.responses.create({ ...request, previous_response_id: 'resp_123' })).rejects.toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error', param: 'previous_response_id' },
    });
    const answer = await server.app.inject({ method: 'POST', url: '/v1/responses', headers: { authorization: 'Bearer cc-acme' }, payload: { model: 'gpt-4o', input: 5 } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'input' } });
  });
});
