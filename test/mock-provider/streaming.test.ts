import { afterEach, describe, expect, it } from 'vitest';
import { startServer, textOfTokens, waitForRows, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface SseEvent {
  event?: string;
  data: string;
}

const parseSse = (text: string): SseEvent[] =>
  text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return event === undefined ? { data } : { event, data };
    });

const anthropicStream = {
  model: 'claude-sonnet-4-6',
  max_tokens: 30,
  stream: true,
  system: [{ type: 'text', text: textOfTokens(1_200, 'stream'), cache_control: { type: 'ephemeral', ttl: '1h' } }],
  messages: [{ role: 'user', content: 'Go on.' }],
};

describe('Anthropic streaming', () => {
  it('sends message_start, content_block_start, ping, deltas, content_block_stop, message_delta, message_stop', async () => {
    server = await startServer('anthropic');
    const answer = await server.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme' }, payload: anthropicStream });
    expect(answer.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const events = parseSse(answer.body);
    const names = events.map((e) => e.event);
    const deltas = names.filter((n) => n === 'content_block_delta').length;
    expect(deltas).toBe(30);
    expect(names).toEqual(['message_start', 'content_block_start', 'ping', ...Array(deltas).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop']);
    const start = JSON.parse(events[0].data);
    expect(start.message.usage).toMatchObject({ input_tokens: 2, cache_creation_input_tokens: 1_200, cache_read_input_tokens: 0, output_tokens: 1 });
    expect(start.message.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1_200 });
    const delta = JSON.parse(events[events.length - 2].data);
    expect(delta).toMatchObject({
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { input_tokens: 2, cache_creation_input_tokens: 1_200, cache_read_input_tokens: 0, output_tokens: 30 },
    });
  });

  it('reports an overload mid-stream as an SSE error event, and as a 529 in the ledger', async () => {
    server = await startServer('anthropic', { overrides: { faults: { overloadRate: 1 } } });
    const answer = await server.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme' }, payload: anthropicStream });
    expect(answer.statusCode).toBe(200);
    const events = parseSse(answer.body);
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'error']);
    expect(JSON.parse(events[2].data)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const [row] = await waitForRows(server, 1);
    expect(row.status).toBe(529);
  });

  it('answers the overload with the 529 status when asked to, and without streaming', async () => {
    server = await startServer('anthropic', { overrides: { faults: { overloadRate: 1 } }, streamOverload: 'status' });
    const streamed = await server.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme' }, payload: anthropicStream });
    const plain = await server.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme' }, payload: { ...anthropicStream, stream: false } });
    for (const answer of [streamed, plain]) {
      expect(answer.statusCode).toBe(529);
      expect(answer.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    }
  });

  it('refuses to pre-warm (max_tokens: 0) on a stream', async () => {
    server = await startServer('anthropic');
    const answer = await server.app.inject({ method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'cc-acme' }, payload: { ...anthropicStream, max_tokens: 0 } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.type).toBe('invalid_request_error');
  });
});

describe('OpenAI streaming', () => {
  const openaiStream = {
    model: 'gpt-4o',
    max_tokens: 12,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: textOfTokens(1_100, 'openai-stream') }],
  };

  it('ends with a usage chunk with empty choices, then [DONE]; other chunks carry usage: null', async () => {
    server = await startServer('openai');
    const answer = await server.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: 'Bearer cc-acme' }, payload: openaiStream });
    const events = parseSse(answer.body);
    expect(events[events.length - 1].data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    const last = chunks[chunks.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 1_100, completion_tokens: 12, total_tokens: 1_112, prompt_tokens_details: { cached_tokens: 0 } });
    expect(chunks.slice(0, -1).every((c) => c.usage === null && c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('length');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toHaveLength(48); // 12 tokens of 4 characters
  });

  it('sends no usage field at all without include_usage', async () => {
    server = await startServer('openai');
    const answer = await server.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer cc-acme' },
      payload: { ...openaiStream, stream_options: undefined },
    });
    const chunks = parseSse(answer.body).slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
  });

  it('answers an overload with a 503 server_error, retryable', async () => {
    server = await startServer('openai', { overrides: { faults: { overloadRate: 1 } } });
    const answer = await server.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: 'Bearer cc-acme' }, payload: openaiStream });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['x-should-retry']).toBe('true');
    expect(answer.json().error.type).toBe('server_error');
    const [row] = await waitForRows(server, 1);
    expect(row.status).toBe(529);
  });
});
