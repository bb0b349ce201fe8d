// The k6 bundle's cheap paths (issue 11, item 5) give the answers of the plain ones: scanning only
// the events around a needle, reading a usage event's tail, and splicing a request body from a
// remembered skeleton and prefix.

import { describe, expect, it } from 'vitest';
import { anthropicWire } from '../../k6/bundle/wire/anthropic.ts';
import { bodyWithSegmentTexts, stringifyWithSegmentTexts } from '../../k6/bundle/wire/json.ts';
import { scanSse, scanSseAround, type SseEvent } from '../../k6/bundle/wire/sse.ts';
import { segmentKey, textOfSegment } from '../../k6/bundle/segment-text.ts';
import { indexedSegment, segment } from '../../scenarios/kit/prompt.ts';

const sse = (events: Array<[string, unknown]>, space = ''): string =>
  events.map(([name, data]) => `event: ${name}\n${JSON.stringify(data, null, space).split('\n').map((line) => `data: ${line}\n`).join('')}\n`).join('');

const usage = { input_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 12_000, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 1, service_tier: 'standard' };
const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4-5-20250929', stop_reason: null, usage } };
const delta = (text: string) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }] as [string, unknown];
const end = { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { ...usage, output_tokens: 20 } };
const stream = (space = ''): string => sse([['message_start', start], ['ping', { type: 'ping' }], delta('a message_start and an error in the text'), delta('b'), ['message_delta', end], ['message_stop', { type: 'message_stop' }]], space);

const all = (scan: (visit: (e: SseEvent) => void) => void): SseEvent[] => {
  const seen: SseEvent[] = [];
  scan((e) => seen.push(e));
  return seen;
};

describe('scanSseAround', () => {
  const wanted = (name: string | undefined) => name === 'message_start' || name === 'message_delta' || name === 'error';
  const needles = ['message_start', 'message_delta', 'error'];

  it('visits the events the whole scan visits, in order, with text holding the needles skipped', () => {
    const body = stream();
    const around = all((v) => scanSseAround(body, needles, wanted, v));
    expect(around).toEqual(all((v) => scanSse(body, wanted, v)));
    expect(around.map((e) => e.event)).toEqual(['message_start', 'message_delta']);
  });

  it('walks a CRLF stream whole, and finds a multi-line event and a last event without a blank line', () => {
    const crlf = stream().replaceAll('\n', '\r\n');
    expect(all((v) => scanSseAround(crlf, needles, wanted, v)).map((e) => e.event)).toEqual(['message_start', 'message_delta']);
    const multi = 'event: ping\ndata: {}\n\nevent: error\ndata: {"type":"error",\ndata: "error":{"type":"overloaded_error"}}';
    expect(all((v) => scanSseAround(multi, needles, wanted, v))).toEqual([{ event: 'error', data: '{"type":"error",\n"error":{"type":"overloaded_error"}}' }]);
  });
});

describe('anthropic stream decoding', () => {
  const want = { usage: { inputTokens: 50, cacheReadTokens: 12_000, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 20 }, model: 'claude-sonnet-4-5-20250929' };

  it('reads the usage from the compact events and from spaced JSON alike', () => {
    expect(anthropicWire.decode(stream(), true)).toEqual(want);
    expect(anthropicWire.decode(stream('  '), true)).toEqual(want);
  });

  it('keeps message_start values a delta leaves out, and reads a delta whose usage is not last', () => {
    const partial = sse([['message_start', start], ['message_delta', { type: 'message_delta', usage: { output_tokens: 7 }, delta: { stop_reason: 'end_turn' } }]]);
    expect(anthropicWire.decode(partial, true)).toEqual({ ...want, usage: { ...want.usage, outputTokens: 7 } });
  });

  it('reports an error event inside a 200 stream, and a model name with an escape', () => {
    const escaped = { ...start, message: { ...start.message, model: 'm"x' } };
    const errored = sse([['message_start', escaped], ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]]);
    expect(anthropicWire.decode(errored, true)).toEqual({ usage: { ...want.usage, outputTokens: 1 }, model: 'm"x', streamError: 'overloaded_error' });
  });
});

describe('bodyWithSegmentTexts', () => {
  const request = (i: number, model = 'claude-sonnet-4-5-20250929') => ({ model, segments: [segment('fast:prompt', 3_000, '5m'), indexedSegment('fast:question', i, 50)] });
  const build = (r: ReturnType<typeof request>) => (slot: (text: string) => string) => ({
    model: r.model,
    max_tokens: 20,
    messages: [{ role: 'user', content: r.segments.map((s) => ({ type: 'text', text: slot(textOfSegment(s)), ...(s.breakpoint === undefined ? {} : { cache_control: { type: 'ephemeral', ttl: s.breakpoint } }) })) }],
  });
  const body = (r: ReturnType<typeof request>, shape = `${r.model}|20`) =>
    bodyWithSegmentTexts(shape, r.segments.map((s) => ({ key: segmentKey(s), text: textOfSegment(s) })), build(r));

  it('writes the bytes JSON.stringify writes, request after request from the remembered prefix', () => {
    for (const i of [0, 1, 2, 1]) {
      const r = request(i);
      const text = body(r);
      expect(text).toBe(JSON.stringify(build(r)((t) => t)));
      expect(text.length).toBe(JSON.stringify(build(r)((t) => t)).length);
    }
    expect(body(request(3))).not.toBe(body(request(4)));
  });

  it('escapes as usual when another field holds a NUL', () => {
    const r = request(5, 'm\u0000cc0\u0000');
    expect(body(r, 'nul-model')).toBe(JSON.stringify(build(r)((t) => t)));
    expect(stringifyWithSegmentTexts(build(r))).toBe(JSON.stringify(build(r)((t) => t)));
  });
});
