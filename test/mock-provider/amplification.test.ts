// Issue 16, item 1: one client asking for millions of output tokens (x-cachecast-output-tokens
// with no max_tokens) ran the server out of memory after 44 requests (4.3 GB). Output now stops
// at the model's documented maximum, a larger max_tokens is refused, and the answer memo is
// bounded by size. The flood runs at reduced scale (the soak runs it in full).

import { afterEach, describe, expect, it } from 'vitest';
import { MAX_OUTPUT_TOKENS } from '../../core/model/max-output.ts';
import { startServer, waitForRows, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const AMPLIFY = { 'x-cachecast-output-tokens': '1900000' };

describe('output amplification', () => {
  it('stops an uncapped answer at the model\'s maximum output and says it stopped at the length', async () => {
    server = await startServer('openai');
    const response = await server.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-fresh-1', ...AMPLIFY },
      payload: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Write forever.' }] },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.usage.completion_tokens).toBe(16_384);
    expect(body.choices[0].finish_reason).toBe('length');
    const [row] = await waitForRows(server, 1);
    expect(row.outputTokens).toBe(16_384);
  });

  it('refuses a max_tokens above the model\'s maximum with the provider\'s 400', async () => {
    server = await startServer('anthropic');
    const send = (max_tokens: number) =>
      server!.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: { 'x-api-key': 'cc-acme', ...AMPLIFY },
        payload: { model: 'claude-sonnet-4-6', max_tokens, messages: [{ role: 'user', content: 'Hi.' }] },
      });
    const refused = await send(64_001);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toEqual({
      type: 'invalid_request_error',
      message: 'max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-6',
    });
    const atCap = await send(64_000);
    expect(atCap.json().usage.output_tokens).toBe(64_000);
    expect(atCap.json().stop_reason).toBe('max_tokens');
    const rows = await waitForRows(server, 2);
    expect(rows.map((r) => [r.status, r.outputTokens])).toEqual([
      [400, 0],
      [200, 64_000],
    ]);
  });

  it('keeps memory bounded under a flood of fresh keys each asking for the most output', async () => {
    server = await startServer('openai');
    const before = process.memoryUsage().rss;
    const requests = 150;
    let outputTokens = 0;
    for (let i = 0; i < requests; i++) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { authorization: `Bearer sk-flood-${i}`, ...AMPLIFY },
        // Distinct prompts: every answer is new text, so nothing is served from the memo.
        payload: { model: 'gpt-4.1', messages: [{ role: 'user', content: `Write forever, ${i}.` }] },
      });
      outputTokens += response.json().usage.completion_tokens;
    }
    expect(outputTokens).toBe(requests * MAX_OUTPUT_TOKENS['gpt-4.1-2025-04-14']);
    // Uncapped, 150 answers of 1.9 M words are ~100 GB; capped but memoised by count, ~300 MB.
    // No answer is kept (mock-provider/text.ts): the ceiling allows garbage not yet collected.
    const grewMb = (process.memoryUsage().rss - before) / 2 ** 20;
    expect(grewMb).toBeLessThan(300);
  });
});

describe('the output cap table', () => {
  it('has a documented figure for every model of both profiles', async () => {
    const { PROFILES } = await import('../../core/model/index.ts');
    const missing = Object.values(PROFILES).flatMap((p) => Object.keys(p.models)).filter((id) => MAX_OUTPUT_TOKENS[id] === undefined);
    expect(missing).toEqual([]);
  });
});
