import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CachecastError } from '../../../core/errors.ts';
import { readRequestLog, type RequestLogEntry, type RequestLogOptions } from '../../../simulator/replay/request-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'cc-request-log-'));
const logFile = (name: string, lines: unknown[]): string => {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
};
const readAll = async (path: string, options?: RequestLogOptions): Promise<RequestLogEntry[]> => {
  const entries: RequestLogEntry[] = [];
  for await (const entry of readRequestLog(path, options)) entries.push(entry);
  return entries;
};

const SYSTEM = 'x'.repeat(4_000); // 1,000 tokens by the fast estimator
const anthropicBody = {
  model: 'claude-sonnet-4-5',
  max_tokens: 300,
  system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: 'y'.repeat(40) }],
};
const chatBody = { model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'hello there!' }], prompt_cache_key: 'k1' };
const responsesBody = { model: 'gpt-4o', instructions: SYSTEM, input: 'abcd', max_output_tokens: 50 };

describe('request-log reader', () => {
  it('reads ISO and epoch-millisecond times, the optional fields and each wire API into model requests', async () => {
    const path = logFile('ok.ndjson', [
      { ts: '2026-11-30T10:00:00.250Z', body: anthropicBody, tenant: 'acme', session: 's1', class: 'batch' },
      '',
      { ts: 1_764_496_800_500, body: chatBody, output_tokens: 42 },
      { ts: '2026-11-30T10:00:01+01:00', body: responsesBody },
    ]);
    const entries = await readAll(path);
    expect(entries.map((e) => [e.lineNumber, e.ts, e.tenant, e.session, e.class, e.wire, e.outputTokens])).toEqual([
      [1, Date.UTC(2026, 10, 30, 10, 0, 0, 250), 'acme', 's1', 'batch', 'anthropic-messages', undefined],
      [3, 1_764_496_800_500, '', '', 'interactive', 'openai-chat', 42],
      [4, Date.UTC(2026, 10, 30, 9, 0, 1), '', '', 'interactive', 'openai-responses', undefined],
    ]);
    const [anthropic, chat, responses] = entries.map((e) => e.request);
    expect(anthropic.model).toBe('claude-sonnet-4-5');
    expect(anthropic.maxTokens).toBe(300);
    expect(anthropic.segments.map((s) => [s.tokens, s.breakpoint])).toEqual([[1_000, '5m'], [10, undefined]]);
    expect(chat.promptCacheKey).toBe('k1');
    expect(chat.segments.map((s) => s.tokens)).toEqual([1_000, 3]);
    expect(responses.maxTokens).toBe(50);
    expect(responses.segments.map((s) => s.tokens)).toEqual([1_000, 1]);
  });

  it('honours an explicit api over detection', async () => {
    const plain = { model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    const entries = await readAll(logFile('api.ndjson', [{ ts: 0, body: plain }, { ts: 1, body: plain, api: 'openai-chat' }]));
    expect(entries.map((e) => e.wire)).toEqual(['anthropic-messages', 'openai-chat']);
    const fallback = await readAll(logFile('fallback.ndjson', [{ ts: 0, body: plain }]), { fallbackApi: 'openai-chat' });
    expect(fallback.map((e) => e.wire)).toEqual(['openai-chat']);
  });

  const badLines = [
    { ts: 0, body: anthropicBody },
    '{"ts": 1, "body": ',
    { body: anthropicBody },
    { ts: 2, body: { ...anthropicBody, messages: [] } },
    { ts: 'yesterday', body: anthropicBody },
    { ts: 3, body: anthropicBody, tenant: 7 },
    { ts: 4, body: anthropicBody },
  ];

  it('stops at the first bad line by default, naming the file, the line and the problem', async () => {
    const path = logFile('bad.ndjson', badLines);
    const error = await readAll(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CachecastError);
    expect((error as CachecastError).code).toBe('CC_ERR_TRACE_LINE_INVALID');
    expect((error as CachecastError).message).toMatch(new RegExp(`^${path.replace(/[.\\]/g, '\\$&')}:2: not JSON`));
  });

  it('skips bad lines when asked, reporting each with its field', async () => {
    const path = logFile('bad-skip.ndjson', badLines);
    const skipped: string[] = [];
    const entries = await readAll(path, { onError: 'skip', onSkip: (e) => skipped.push(e.message.slice(path.length)) });
    expect(entries.map((e) => e.lineNumber)).toEqual([1, 7]);
    expect(skipped.map((m) => m.split(' (')[0])).toEqual([
      ':2: not JSON',
      ':3: ts: expected epoch milliseconds or an ISO 8601 time',
      ':4: body.messages: too small: expected array to have >=1 items',
      ':5: ts: expected epoch milliseconds or an ISO 8601 time',
      ':6: tenant: expected string, received number',
    ]);
  });

  it('refuses a missing file with CC_ERR_TRACE_UNREADABLE', async () => {
    const error = await readAll(join(dir, 'nope.ndjson')).catch((e: unknown) => e);
    expect((error as CachecastError).code).toBe('CC_ERR_TRACE_UNREADABLE');
    expect((error as CachecastError).message).toContain('nope.ndjson: no such file');
  });
});
