// Issue 13, item 9: the routes real clients call besides the model routes. count_tokens counts as
// /v1/messages bills, GET /v1/models/{id} answers in each wire's shape, and an unknown route gets
// the wire's own 404 body, never fastify's `{"message":"Route … not found"}`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, textOfTokens, type TestServer } from './helpers.ts';

let anthropic: TestServer;
let openai: TestServer;
beforeAll(async () => {
  anthropic = await startServer('anthropic');
  openai = await startServer('openai');
});
afterAll(async () => {
  await anthropic.close();
  await openai.close();
});

const call = async (origin: string, method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const ANTHROPIC = { 'x-api-key': 'cc-acme', 'anthropic-version': '2023-06-01' };
const OPENAI = { authorization: 'Bearer cc-acme' };

describe('POST /v1/messages/count_tokens', () => {
  const body = { model: 'claude-sonnet-4-6', system: textOfTokens(2_000), messages: [{ role: 'user', content: 'Hello.' }] };

  it('counts the prompt as /v1/messages bills it: 2,000 system + 2 user tokens = 2,002', async () => {
    const counted = await call(anthropic.origin, 'POST', '/v1/messages/count_tokens', ANTHROPIC, body);
    expect(counted).toEqual({ status: 200, body: { input_tokens: 2_002 } });
    const billed = await call(anthropic.origin, 'POST', '/v1/messages', ANTHROPIC, { ...body, max_tokens: 5 });
    expect((billed.body.usage as { input_tokens: number }).input_tokens).toBe(2_002);
  });

  it('counts through the model tokenizer: Opus 4.7 inflates 2,002 tokens to 2,402', async () => {
    const counted = await call(anthropic.origin, 'POST', '/v1/messages/count_tokens', ANTHROPIC, { ...body, model: 'claude-opus-4-7' });
    expect(counted.body).toEqual({ input_tokens: 2_402 });
  });

  it('needs no max_tokens, but refuses a missing key, a bad body and an unknown model in Anthropic shape', async () => {
    expect(await call(anthropic.origin, 'POST', '/v1/messages/count_tokens', {}, body)).toMatchObject({ status: 401, body: { type: 'error', error: { type: 'authentication_error' } } });
    expect(await call(anthropic.origin, 'POST', '/v1/messages/count_tokens', ANTHROPIC, { model: 'claude-sonnet-4-6' })).toMatchObject({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'messages: Field required' } },
    });
    expect(await call(anthropic.origin, 'POST', '/v1/messages/count_tokens', ANTHROPIC, { ...body, model: 'claude-nope' })).toMatchObject({
      status: 404,
      body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } },
    });
  });

  it('writes no ledger row: counting is not a model request', async () => {
    const before = anthropic.rows().length;
    await call(anthropic.origin, 'POST', '/v1/messages/count_tokens', ANTHROPIC, body);
    expect(anthropic.rows().length).toBe(before);
  });
});

describe('GET /v1/models/{id}', () => {
  it('answers a model or an alias in Anthropic shape', async () => {
    const found = await call(anthropic.origin, 'GET', '/v1/models/claude-sonnet-4-5', ANTHROPIC);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5', display_name: 'claude-sonnet-4-5' });
    expect(typeof found.body.created_at).toBe('string');
    expect(await call(anthropic.origin, 'GET', '/v1/models/claude-nope', ANTHROPIC)).toMatchObject({
      status: 404,
      body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } },
    });
  });

  it('answers a model in OpenAI shape, and an unknown one with model_not_found', async () => {
    const found = await call(openai.origin, 'GET', '/v1/models/gpt-4o', OPENAI);
    expect(found).toMatchObject({ status: 200, body: { id: 'gpt-4o', object: 'model', owned_by: 'openai' } });
    expect(await call(openai.origin, 'GET', '/v1/models/gpt-nope', OPENAI)).toEqual({
      status: 404,
      body: { error: { message: "The model 'gpt-nope' does not exist", type: 'invalid_request_error', param: 'model', code: 'model_not_found' } },
    });
  });

  it('needs a key', async () => {
    expect((await call(openai.origin, 'GET', '/v1/models/gpt-4o', {})).status).toBe(401);
  });
});

describe('unknown routes', () => {
  it('answer an Anthropic client with not_found_error', async () => {
    const answer = await call(anthropic.origin, 'POST', '/v1/messages/batches/nope', ANTHROPIC, {});
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ type: 'error', error: { type: 'not_found_error', message: 'The requested resource could not be found.' } });
    expect(typeof answer.body.request_id).toBe('string');
  });

  it("answer an OpenAI client with OpenAI's Invalid URL body", async () => {
    expect(await call(openai.origin, 'POST', '/v1/embeddings', OPENAI, { input: 'x' })).toEqual({
      status: 404,
      body: { error: { message: 'Invalid URL (POST /v1/embeddings)', type: 'invalid_request_error', param: null, code: null } },
    });
  });

  it('without wire headers, follow the path, then the served profile', async () => {
    expect((await call(openai.origin, 'GET', '/v1/messages/nope', {})).body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect((await call(anthropic.origin, 'GET', '/v1/chat/nope', {})).body).toMatchObject({ error: { type: 'invalid_request_error', code: null } });
    expect((await call(anthropic.origin, 'GET', '/nope', {})).body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect((await call(openai.origin, 'GET', '/nope', {})).body).toMatchObject({ error: { message: 'Invalid URL (GET /nope)' } });
  });
});
