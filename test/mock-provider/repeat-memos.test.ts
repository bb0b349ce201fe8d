// What the mock provider remembers from one request for the next identical one (the last API
// key's organisation, the last answer, the last organisation touched, the metrics' last labels)
// never answers a different request: a changed prompt, length or key changes the answer, its
// usage and its row, and the same request again gets the same bytes as before.

import { afterEach, describe, expect, it } from 'vitest';
import { createTenantBook } from '../../mock-provider/tenants.ts';
import { startServer, textOfTokens, waitForRows, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const bodyOf = (document: string, maxTokens: number) => ({
  model: 'claude-sonnet-4-6',
  max_tokens: maxTokens,
  system: [{ type: 'text', text: textOfTokens(2_000, document), cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: 'What is in the document?' }],
});

interface Message {
  content: Array<{ text: string }>;
  usage: { input_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number; output_tokens: number };
}

const send = async (s: TestServer, key: string, body: object): Promise<{ text: string; message: Message }> => {
  // A cache write is readable once the request that made it is done (provider time).
  s.clock.advance(2_000);
  const response = await fetch(`${s.origin}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  const text = await response.text();
  return { text: text.replace(/"id":"msg_[^"]*"/, '"id":"msg"'), message: JSON.parse(text) as Message };
};

describe('memos of the request before', () => {
  it('answer a changed prompt, length or key afresh, and the same request again with the same bytes', async () => {
    server = await startServer('anthropic', { outputTokens: () => 300 });
    const first = await send(server, 'cc-acme', bodyOf('alpha', 40));
    const again = await send(server, 'cc-acme', bodyOf('alpha', 40));
    const otherPrompt = await send(server, 'cc-acme', bodyOf('beta', 40));
    const shorter = await send(server, 'cc-acme', bodyOf('beta', 25));
    const otherKey = await send(server, 'cc-globex', bodyOf('beta', 25));
    const backToFirst = await send(server, 'cc-acme', bodyOf('alpha', 40));

    expect(first.message.usage).toMatchObject({ cache_creation_input_tokens: 2_000, cache_read_input_tokens: 0, output_tokens: 40 });
    expect(again.message.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 2_000, output_tokens: 40 });
    expect(again.message.content).toEqual(first.message.content);
    // Another document: written, not read, and another answer.
    expect(otherPrompt.message.usage).toMatchObject({ cache_creation_input_tokens: 2_000, cache_read_input_tokens: 0, output_tokens: 40 });
    expect(otherPrompt.message.content[0].text).not.toBe(first.message.content[0].text);
    expect(shorter.message.usage.output_tokens).toBe(25);
    expect(shorter.message.content[0].text).toHaveLength(100);
    // Another organisation does not read acme's cache.
    expect(otherKey.message.usage).toMatchObject({ cache_creation_input_tokens: 2_000, cache_read_input_tokens: 0 });
    expect(backToFirst.text).toBe(again.text);

    const rows = await waitForRows(server, 6);
    expect(rows.map((r) => [r.tenant, r.cacheReadTokens, r.cacheWriteTokens, r.outputTokens])).toEqual([
      ['acme', 0, 2_000, 40],
      ['acme', 2_000, 0, 40],
      ['acme', 0, 2_000, 40],
      ['acme', 2_000, 0, 25],
      ['globex', 0, 2_000, 25],
      ['acme', 2_000, 0, 40],
    ]);
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    expect(metrics).toMatch(/cachecast_requests_total\{organisation="acme",[^}]*status="200"\} 5/);
    expect(metrics).toMatch(/cachecast_requests_total\{organisation="globex",[^}]*status="200"\} 1/);
    expect(metrics).toMatch(/cachecast_tokens_total\{organisation="acme",[^}]*kind="cache_read"\} 6000/);
  });

  it('forget an organisation as before when the book has room for one or none', () => {
    const one = createTenantBook(1);
    expect([one.touch('a'), one.touch('a'), one.touch('b'), one.touch('b'), one.touch('a')]).toEqual([undefined, undefined, 'a', undefined, 'b']);
    expect([one.size(), one.evicted()]).toEqual([1, 2]);
    const none = createTenantBook(0);
    expect([none.touch('a'), none.touch('a'), none.touch('b')]).toEqual(['a', 'a', 'b']);
    expect(none.evicted()).toBe(3);
  });
});
