import { describe, expect, it } from 'vitest';
import { parseMessagesRequest, type MessagesRequest } from '../../core/wire/anthropic/parse.ts';
import { anthropicSegments } from '../../core/wire/anthropic/segments.ts';
import { goDuration } from '../../mock-provider/openai/headers.ts';
import { parseChatRequest, type ChatRequest } from '../../core/wire/openai/parse.ts';
import { openaiSegments } from '../../core/wire/openai/segments.ts';
import { createTextMemo } from '../../core/wire/text-memo.ts';
import { createTokenCounter, estimateTokens } from '../../core/wire/tokens.ts';

const describeText = createTextMemo(estimateTokens);

const messages = (body: object): MessagesRequest => {
  const parsed = parseMessagesRequest({ model: 'm', max_tokens: 1, ...body });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.body;
};
const cut = (body: object) => anthropicSegments(messages(body), describeText, 4);
const segmentsOf = (body: object) => {
  const result = cut(body);
  if (!result.ok) throw new Error(result.error.message);
  return result.segments;
};

describe('Anthropic text → segments', () => {
  it('cuts tools, system blocks and message blocks in that order, one segment per block', () => {
    const segments = segmentsOf({
      tools: [{ name: 'search', input_schema: { type: 'object' } }],
      system: [{ type: 'text', text: 'abcd'.repeat(10) }, { type: 'text', text: 'efgh'.repeat(5), cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: 'there', cache_control: { type: 'ephemeral' } }] }],
    });
    expect(segments.map((s) => [s.tokens, s.breakpoint])).toEqual([
      [13, undefined], // {"input_schema":{"type":"object"},"name":"search"} is 50 characters
      [10, undefined],
      [5, '1h'],
      [1, undefined],
      [2, '5m'],
    ]);
  });

  it('hashes a string content like the same one-block array, and ignores cache_control', () => {
    const [asString] = segmentsOf({ messages: [{ role: 'user', content: 'hello' }] });
    const [asBlock] = segmentsOf({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }] });
    const [asAssistant] = segmentsOf({ messages: [{ role: 'assistant', content: 'hello' }] });
    expect(asBlock.hash).toBe(asString.hash);
    expect(asAssistant.hash).not.toBe(asString.hash);
  });

  it('puts automatic caching on the last block, and refuses a clash or a full set of breakpoints', () => {
    expect(segmentsOf({ cache_control: { type: 'ephemeral' }, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }).map((s) => s.breakpoint)).toEqual([undefined, '5m']);
    const clash = cut({ cache_control: { type: 'ephemeral', ttl: '1h' }, messages: [{ role: 'user', content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }] }] });
    expect(clash).toMatchObject({ ok: false, error: { param: 'cache_control' } });
    const marked = { type: 'text', text: 'x', cache_control: { type: 'ephemeral' } };
    const full = cut({ cache_control: { type: 'ephemeral' }, messages: [{ role: 'user', content: [marked, marked, marked, marked, { type: 'text', text: 'y' }] }] });
    expect(full).toMatchObject({ ok: false, error: { message: 'cache_control: automatic caching needs a free breakpoint slot, but 4 blocks already have cache_control' } });
  });

  it('names the field that is wrong', () => {
    expect(parseMessagesRequest({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] })).toEqual({
      ok: false,
      error: { message: 'messages.0.content.0.text: text blocks need a string `text`', param: 'messages.0.content.0.text' },
    });
    expect(parseMessagesRequest({ model: 'm', max_tokens: -1, messages: [{ role: 'user', content: 'x' }] })).toMatchObject({ ok: false, error: { param: 'max_tokens' } });
  });
});

describe('OpenAI text → segments', () => {
  const chat = (body: object): ChatRequest => {
    const parsed = parseChatRequest({ model: 'm', ...body });
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.body;
  };

  it('cuts one segment per tool, then one per message, whatever the key order', () => {
    const a = openaiSegments(chat({ tools: [{ type: 'function', function: { name: 'f' } }], messages: [{ role: 'system', content: 'abcdefgh' }, { role: 'user', content: 'hi' }] }), describeText);
    const b = openaiSegments(chat({ messages: [{ content: 'abcdefgh', role: 'system' }, { content: 'hi', role: 'user' }], tools: [{ function: { name: 'f' }, type: 'function' }] }), describeText);
    expect(a.map((s) => s.tokens)).toEqual([11, 2, 1]);
    const plain = (segments: typeof a) => segments.map(({ head: _head, ...s }) => s);
    expect(plain(b)).toEqual(plain(a));
    // A message's head hashes its text's prefixes alike too, and its full length is its own hash.
    const hashAt = (s: (typeof a)[number], n: number) => (s.head !== undefined && 'hashAt' in s.head ? s.head.hashAt(n) : Number.NaN);
    expect([hashAt(b[1], 1), hashAt(b[1], 2)]).toEqual([hashAt(a[1], 1), a[1].hash]);
  });
});

describe('token counts', () => {
  it('estimates 4 characters per token, rounding up', () => {
    expect([estimateTokens(''), estimateTokens('abc'), estimateTokens('abcd'), estimateTokens('abcde')]).toEqual([0, 1, 1, 2]);
  });

  it('counts exactly with js-tiktoken when asked', async () => {
    const o200k = await createTokenCounter('exact', 'o200k_base');
    const cl100k = await createTokenCounter('exact', 'cl100k_base');
    expect(o200k('hello world')).toBe(2);
    expect(cl100k('hello world')).toBe(2);
    expect(o200k('<|endoftext|>')).toBeGreaterThan(1);
  });

  it('remembers a long text and gives the same facts for an equal string', () => {
    const long = 'x'.repeat(5_000);
    const first = describeText(long);
    expect(describeText(`${'x'.repeat(4_999)}x`)).toBe(first);
    expect(first.tokens).toBe(1_250);
  });
});

describe('OpenAI reset durations', () => {
  it('formats like Go durations', () => {
    expect([goDuration(41), goDuration(1_000), goDuration(2_081), goDuration(360_000), goDuration(3_723_500)]).toEqual(['41ms', '1s', '2.081s', '6m0s', '1h2m3.5s']);
  });
});
