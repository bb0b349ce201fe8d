// Issue 13 over HTTP: the wire details real clients see (items 11, 6, 2, 1, 7, 8, 10).

import { afterEach, describe, expect, it } from 'vitest';
import { startServer, textOfTokens, type TestServer } from './helpers.ts';
import { chunksOf } from '../../mock-provider/text.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = async (s: TestServer, path: string, body: unknown, headers: Record<string, string>) => {
  const response = await fetch(`${s.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
const ANTHROPIC = { 'x-api-key': 'cc-acme' };
const OPENAI = { authorization: 'Bearer cc-acme' };

describe('item 11: OpenAI words', () => {
  it("a 429 is OpenAI's sentence: tokens per min (TPM), Limit, Used, Requested", async () => {
    server = await startServer('openai', { overrides: { quotas: [{ name: 'tokens-per-minute', dimension: 'tokens', kind: 'token-bucket', limit: 10_000, windowMs: 60_000 }] } });
    const body = { model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: textOfTokens(6_000) }] };
    expect((await post(server, '/v1/chat/completions', body, OPENAI)).status).toBe(200);
    const refused = await post(server, '/v1/chat/completions', body, OPENAI);
    expect(refused.status).toBe(429);
    // 6,000 prompt + 100 output tokens each; 3,900 left, 2,200 short at 10,000 per minute: 13.2 s.
    expect(refused.body.error).toEqual({
      message:
        'Rate limit reached for gpt-4o-2024-08-06 in organization acme on tokens per min (TPM): Limit 10000, Used 6100, Requested 6100. Please try again in 13.2s. Visit https://platform.openai.com/account/rate-limits to learn more.',
      type: 'tokens',
      param: null,
      code: 'rate_limit_exceeded',
    });
  });

  it('a missing parameter is "Missing required parameter"', async () => {
    server = await startServer('openai');
    expect(await post(server, '/v1/chat/completions', { model: 'gpt-4o' }, OPENAI)).toEqual({
      status: 400,
      body: { error: { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' } },
    });
  });

  it('serves gpt-4o-mini (§2.3 lineup), resolving the alias to its dated version', async () => {
    server = await startServer('openai');
    const body = { model: 'gpt-4o-mini', max_tokens: 1, messages: [{ role: 'user', content: textOfTokens(2_000) }] };
    const first = await post(server, '/v1/chat/completions', body, OPENAI);
    expect(first.status).toBe(200);
    expect(first.body.model).toBe('gpt-4o-mini-2024-07-18');
  });
});

describe('item 11: Anthropic words', () => {
  it('a missing max_tokens is "max_tokens: Field required"', async () => {
    server = await startServer('anthropic');
    const answer = await post(server, '/v1/messages', { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi.' }] }, ANTHROPIC);
    expect(answer).toMatchObject({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } } });
  });
});

describe('item 3 over HTTP: Haiku 3.5 counts cache reads toward ITPM (§1.11)', () => {
  it('the second of two 2,100-token cached requests 10 s apart is a 429 on a 3,000 ITPM bucket', async () => {
    server = await startServer('anthropic', {
      overrides: { quotas: [{ name: 'input-tokens-per-minute', dimension: 'input-tokens', kind: 'token-bucket', limit: 3_000, windowMs: 60_000 }] },
    });
    const body = {
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 5,
      system: [{ type: 'text', text: textOfTokens(2_100), cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: textOfTokens(50, 'q') }],
    };
    expect((await post(server, '/v1/messages', body, ANTHROPIC)).body.usage).toMatchObject({ cache_creation_input_tokens: 2_100, input_tokens: 50 });
    server.clock.advance(10_000);
    const second = await post(server, '/v1/messages', body, ANTHROPIC);
    expect(second.status).toBe(429);
    expect(second.body.error.message).toBe('This request would exceed the rate limit for your organization of 3,000 input tokens per minute.');
  });
});

describe('item 6: generated text counts back to exactly its billed output tokens', () => {
  it('200 output tokens sent back as history are 200 input tokens (Anthropic), and 1 + 200 + 2 = 203 in all', async () => {
    server = await startServer('anthropic');
    const first = await post(server, '/v1/messages', { model: 'claude-sonnet-4-6', max_tokens: 1_000, messages: [{ role: 'user', content: 'Hi.' }] }, ANTHROPIC);
    expect(first.body.usage.output_tokens).toBe(200);
    const text = first.body.content[0].text as string;
    expect(text.length).toBe(800);
    const counted = await post(
      server,
      '/v1/messages/count_tokens',
      { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi.' }, { role: 'assistant', content: text }, { role: 'user', content: 'More.' }] },
      ANTHROPIC,
    );
    expect(counted.body).toEqual({ input_tokens: 203 });
  });

  it('the same on OpenAI, and the streamed chunks are whole tokens and join to the same text', async () => {
    server = await startServer('openai');
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi.' }] };
    const first = await post(server, '/v1/chat/completions', body, OPENAI);
    expect(first.body.usage.completion_tokens).toBe(200);
    const text = first.body.choices[0].message.content as string;
    const second = await post(server, '/v1/chat/completions', { model: 'gpt-4o', messages: [...body.messages, { role: 'assistant', content: text }, { role: 'user', content: 'More.' }] }, OPENAI);
    expect(second.body.usage.prompt_tokens).toBe(203);
    const app = server.app;
    const answer = app.mock.text.answer(12_345, 37);
    const chunks = chunksOf(answer.text);
    expect([chunks.length, chunks.every((c) => c.length === 4), chunks.join('') === answer.text, answer.text.endsWith('.')]).toEqual([37, true, true, true]);
  });
});

describe('item 1: OpenAI finds a shared beginning inside one message (128-token steps, §2.1)', () => {
  const DOC = textOfTokens(3_000, 'rag');
  const chat = (messages: unknown[]) => ({ model: 'gpt-4o', max_tokens: 5, messages });

  it('the same 3,000-token document and a different question, in one user message: 2,944 cached', async () => {
    server = await startServer('openai');
    const first = await post(server, '/v1/chat/completions', chat([{ role: 'user', content: `${DOC}\n\nWhat does it say about foxes?` }]), OPENAI);
    expect(first.body.usage.prompt_tokens_details.cached_tokens).toBe(0);
    server.clock.advance(5_000);
    const second = await post(server, '/v1/chat/completions', chat([{ role: 'user', content: `${DOC}\n\nWho wrote it, and when?` }]), OPENAI);
    // 1,024 + 15 × 128 = 2,944 ≤ 3,000 < 3,072.
    expect(second.body.usage.prompt_tokens_details.cached_tokens).toBe(2_944);
  });

  it('a 1,100-token system message and a user message sharing its first 900 tokens: 1,920 cached', async () => {
    server = await startServer('openai');
    const system = { role: 'system', content: textOfTokens(1_100, 'policy') };
    const shared = textOfTokens(900, 'context');
    await post(server, '/v1/chat/completions', chat([system, { role: 'user', content: shared + textOfTokens(400, 'first tail') }]), OPENAI);
    server.clock.advance(5_000);
    const second = await post(server, '/v1/chat/completions', chat([system, { role: 'user', content: shared + textOfTokens(400, 'other tail') }]), OPENAI);
    // 1,100 + 900 = 2,000 shared tokens: 1,024 + 7 × 128 = 1,920.
    expect(second.body.usage.prompt_tokens_details.cached_tokens).toBe(1_920);
  });

  it('the Responses API too, and a different document is a miss', async () => {
    server = await startServer('openai');
    const respond = (input: string) => post(server as TestServer, '/v1/responses', { model: 'gpt-4o', max_output_tokens: 5, input }, OPENAI);
    await respond(`${DOC}\n\nFirst question?`);
    server.clock.advance(5_000);
    expect((await respond(`${DOC}\n\nSecond question?`)).body.usage.input_tokens_details.cached_tokens).toBe(2_944);
    expect((await respond(`${textOfTokens(3_000, 'other')}\n\nFirst question?`)).body.usage.input_tokens_details.cached_tokens).toBe(0);
  });
});

describe('item 10: declared API keys; any other key is a 401', () => {
  const claude = { model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'Hi.' }] };
  const gpt = { model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'Hi.' }] };

  it("Anthropic: a declared key and a cc-<org> key answer, an unknown key is authentication_error 'invalid x-api-key'", async () => {
    server = await startServer('anthropic', { apiKeys: { 'sk-ant-real': 'acme' }, refuseUnknownKeys: true });
    expect((await post(server, '/v1/messages', claude, { 'x-api-key': 'sk-ant-real' })).status).toBe(200);
    expect((await post(server, '/v1/messages', claude, { 'x-api-key': 'cc-beta' })).status).toBe(200);
    const refused = await post(server, '/v1/messages', claude, { 'x-api-key': 'sk-ant-revoked' });
    expect(refused).toMatchObject({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } });
    expect((await post(server, '/v1/messages/count_tokens', claude, { 'x-api-key': 'sk-ant-revoked' })).status).toBe(401);
  });

  it("OpenAI: an unknown key is invalid_api_key with the key redacted, as the API words it", async () => {
    server = await startServer('openai', { apiKeys: { 'sk-proj-real': 'acme' }, refuseUnknownKeys: true });
    expect((await post(server, '/v1/chat/completions', gpt, { authorization: 'Bearer sk-proj-real' })).status).toBe(200);
    expect(await post(server, '/v1/chat/completions', gpt, { authorization: 'Bearer sk-wrong-key-123456' })).toEqual({
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided: sk-************3456. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    });
  });

  it('without the flag any key is accepted (mapped to org-<hash>), as before', async () => {
    server = await startServer('openai', { apiKeys: { 'sk-proj-real': 'acme' } });
    expect((await post(server, '/v1/chat/completions', gpt, { authorization: 'Bearer sk-wrong-key-123456' })).status).toBe(200);
  });
});

describe('item 7: a Responses item_reference is the item it names', () => {
  it('expands a reference to the mock own output item: the same input tokens as sending the item, and an unknown id is a 400 naming input[1]', async () => {
    server = await startServer('openai');
    const s = server;
    const respond = (input: unknown) => post(s, '/v1/responses', { model: 'gpt-4o', max_output_tokens: 50, instructions: textOfTokens(2_000, 'ref'), input }, OPENAI);
    const first = await respond([{ role: 'user', content: 'Hi.' }]);
    const item = first.body.output[0];
    expect(item.type).toBe('message');
    const byReference = await respond([{ role: 'user', content: 'Hi.' }, { type: 'item_reference', id: item.id }, { role: 'user', content: 'More.' }]);
    const inline = await respond([{ role: 'user', content: 'Hi.' }, item, { role: 'user', content: 'More.' }]);
    expect(byReference.status).toBe(200);
    // The referenced 50-token answer counts as itself, not as an 11-token reference.
    expect(byReference.body.usage.input_tokens).toBe(inline.body.usage.input_tokens);
    expect(byReference.body.usage.input_tokens).toBeGreaterThan(2_000 + 50);
    expect(await respond([{ role: 'user', content: 'Hi.' }, { type: 'item_reference', id: 'msg_unknown' }])).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error', param: 'input[1]', message: expect.stringMatching(/^input\[1\]: item_reference "msg_unknown" .*store: false/) } },
    });
  });
});
