import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createWallClock } from '../../mock-provider/clock.ts';
import { startServer, textOfTokens, waitForRows, type TestServer } from './helpers.ts';

// 2,000 + 3 prompt tokens; OpenAI caches 1,024 tokens and then 128-token steps: 1,024 + 7 × 128 = 1,920.
const request = {
  model: 'gpt-4o',
  max_completion_tokens: 50,
  messages: [
    { role: 'system' as const, content: textOfTokens(2_000, 'openai-sdk') },
    { role: 'user' as const, content: 'Summarise.' },
  ],
};

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const clientFor = (s: TestServer, maxRetries = 0) => new OpenAI({ apiKey: 'cc-acme', baseURL: `${s.origin}/v1`, maxRetries });

describe('the official OpenAI SDK against the mock provider', () => {
  it('misses on a first call and reads the cached prefix on an identical second call, with exact token counts', async () => {
    server = await startServer('openai');
    const client = clientFor(server);
    const first = await client.chat.completions.create(request);
    server.clock.advance(5_000);
    const second = await client.chat.completions.create(request);

    expect(first.usage).toMatchObject({ prompt_tokens: 2_003, completion_tokens: 50, total_tokens: 2_053, prompt_tokens_details: { cached_tokens: 0 } });
    expect(second.usage).toMatchObject({ prompt_tokens: 2_003, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 1_920 } });
    expect(first.model).toBe('gpt-4o-2024-08-06');
    expect(first.choices[0].finish_reason).toBe('length');
    expect(second.choices[0].message.content).toBe(first.choices[0].message.content);
    const rows = await waitForRows(server, 2);
    expect(rows.map((r) => [r.status, r.inputTokens, r.cacheWriteTokens, r.cacheReadTokens])).toEqual([
      [200, 83, 1_920, 0],
      [200, 83, 0, 1_920],
    ]);
  });

  it('yields the same usage through the stream helper, from the final usage chunk', async () => {
    server = await startServer('openai');
    const client = clientFor(server);
    await client.chat.completions.create(request);
    server.clock.advance(5_000);
    const stream = client.chat.completions.stream({ ...request, stream_options: { include_usage: true } });
    const chunks: Array<{ choices: unknown[] }> = [];
    stream.on('chunk', (chunk) => chunks.push(chunk));
    const streamed = await stream.finalChatCompletion();
    server.clock.advance(5_000);
    const plain = await client.chat.completions.create(request);

    expect(streamed.usage).toEqual(plain.usage);
    expect(streamed.usage?.prompt_tokens_details?.cached_tokens).toBe(1_920);
    expect(streamed.choices[0].message.content).toBe(plain.choices[0].message.content);
    expect(chunks[chunks.length - 1].choices).toEqual([]);
  });

  it("waits out a 429's retry-after with the SDK's own retries", async () => {
    server = await startServer('openai', {
      clock: createWallClock({ timeScale: 600 }),
      overrides: { quotas: [{ name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: 1, windowMs: 60_000 }] },
    });
    const client = clientFor(server, 2);
    await client.chat.completions.create(request);
    const retried = await client.chat.completions.create(request).withResponse();
    expect(retried.response.status).toBe(200);
    const rows = await waitForRows(server, 3);
    expect(rows.map((r) => [r.status, r.attempt])).toEqual([
      [200, 0],
      [429, 0],
      [200, 1],
    ]);
  });

  it('answers a rate limit with OpenAI headers and body', async () => {
    server = await startServer('openai', {
      overrides: {
        quotas: [
          { name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: 1, windowMs: 60_000 },
          { name: 'tokens-per-minute', dimension: 'tokens', kind: 'token-bucket', limit: 2_000_000, windowMs: 60_000 },
        ],
      },
    });
    const client = clientFor(server);
    const ok = await client.chat.completions.create(request).withResponse();
    expect(ok.response.headers.get('x-ratelimit-limit-requests')).toBe('1');
    expect(ok.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(ok.response.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(ok.response.headers.get('x-ratelimit-limit-tokens')).toBe('2000000');
    expect(ok.response.headers.get('x-ratelimit-remaining-tokens')).toBe(String(2_000_000 - 2_053));
    const error = await client.chat.completions.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimited = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimited.code).toBe('rate_limit_exceeded');
    expect(rateLimited.headers.get('retry-after')).toBe('60');
    expect(rateLimited.headers.get('retry-after-ms')).toBe('60000');
  });

  it('reads the shared beginning of one message: same document, different question (issue 13, item 1; §2.1)', async () => {
    server = await startServer('openai');
    const client = clientFor(server);
    const doc = textOfTokens(3_000, 'rag-sdk');
    const ask = (question: string) => client.chat.completions.create({ model: 'gpt-4o', max_completion_tokens: 5, messages: [{ role: 'user', content: `${doc}\n\n${question}` }] });
    const first = await ask('What does it say?');
    server.clock.advance(5_000);
    const second = await ask('Who is it for?');
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    // 1,024 + 15 × 128 = 2,944 of the 3,000 shared tokens.
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(2_944);
  });
});
