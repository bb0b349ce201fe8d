// The Anthropic Messages wire: every segment is one text block of one user message, in order, and
// a segment's breakpoint is that block's `cache_control` with its TTL. The mock provider cuts the
// same blocks back into the same segments (mock-provider/anthropic/segments.ts), so the prefix
// structure, breakpoints and token counts are the scenario's own.

import type { Usage } from '../../../core/model/types.ts';
import { segmentKey, textOfSegment } from '../segment-text.ts';
import { bodyWithSegmentTexts, field, ownField, ownTokens, parseJson, stringifyWithSegmentTexts, text } from './json.ts';
import { scanSseAround } from './sse.ts';
import { maxTokensOf, type WireAnswer, type WireCodec } from './types.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

const usageOf = (usage: unknown): Usage => {
  const cacheWrite = ownTokens(usage, 'cache_creation_input_tokens');
  return {
    inputTokens: ownTokens(usage, 'input_tokens'),
    cacheReadTokens: ownTokens(usage, 'cache_read_input_tokens'),
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: Math.min(cacheWrite, ownTokens(ownField(usage, 'cache_creation'), 'ephemeral_1h_input_tokens')),
    outputTokens: ownTokens(usage, 'output_tokens'),
  };
};

/** The events with usage or an error; each holds its own name (its `event:` line). */
const WANTED_EVENTS: readonly string[] = ['message_start', 'message_delta', 'error'];
/** Only these are parsed; content deltas are skipped unparsed. */
const wanted = (name: string | undefined): boolean => name !== undefined && WANTED_EVENTS.includes(name);

/**
 * k6's JSON.parse costs by property (57 µs for a message_start, 20 of them, on k6 v1.3), so the two
 * usage events are read in part when they are written as the API and the mock provider write them
 * (compact, `type` first, `usage` last): only the usage object is parsed, and the model is cut
 * out. Anything else (spacing, another key order, an escape in the model) is parsed whole, as before.
 */
const usageTail = (data: string, type: string, closers: string): unknown => {
  if (!data.startsWith(`{"type":"${type}"`) || !data.endsWith(closers)) return undefined;
  const at = data.lastIndexOf('"usage":{');
  // A value followed by anything but the closers is not one JSON value: parseJson gives undefined.
  return at < 0 ? undefined : parseJson(data.slice(at + 8, data.length - closers.length + 1));
};

const modelOf = (data: string): string | undefined => {
  const at = data.indexOf('"model":"');
  if (at < 0) return undefined;
  const end = data.indexOf('"', at + 9);
  const model = data.slice(at + 9, end);
  return end < 0 || model.indexOf('\\') >= 0 ? undefined : model;
};

/** message_start carries the input usage, message_delta the cumulative usage at the end. */
const decodeStream = (body: string): WireAnswer | undefined => {
  let usage: Usage | undefined;
  let model = '';
  let streamError: string | undefined;
  const mergeDelta = (delta: unknown): void => {
    if (usage === undefined) return;
    const merged = usageOf(delta);
    // Fields absent from the delta keep their message_start value.
    for (const key of Object.keys(merged) as Array<keyof Usage>) {
      if (ownField(delta, WIRE_NAME[key]) !== undefined) usage[key] = merged[key];
    }
  };
  scanSseAround(body, WANTED_EVENTS, wanted, (event) => {
    if (event.event === 'message_start') {
      const startUsage = usageTail(event.data, 'message_start', '}}}');
      const startModel = startUsage === undefined ? undefined : modelOf(event.data);
      if (startUsage !== undefined && startModel !== undefined) {
        usage = usageOf(startUsage);
        model = startModel;
        return;
      }
    } else if (event.event === 'message_delta') {
      const delta = usageTail(event.data, 'message_delta', '}}');
      if (delta !== undefined) return mergeDelta(delta);
    }
    const data = parseJson(event.data);
    const type = text(data, 'type');
    if (type === 'message_start') {
      usage = usageOf(field(data, 'message', 'usage'));
      model = text(data, 'message', 'model');
    } else if (type === 'message_delta') mergeDelta(field(data, 'usage'));
    else if (type === 'error') streamError = text(data, 'error', 'type') || 'error';
  });
  if (usage === undefined) return undefined;
  return streamError === undefined ? { usage, model } : { usage, model, streamError };
};

const WIRE_NAME: Record<keyof Usage, string> = {
  inputTokens: 'input_tokens',
  cacheReadTokens: 'cache_read_input_tokens',
  cacheWriteTokens: 'cache_creation_input_tokens',
  cacheWrite1hTokens: 'cache_creation',
  outputTokens: 'output_tokens',
};

export const anthropicWire: WireCodec = {
  encode: (request, apiKey) => {
    const maxTokens = maxTokensOf(request);
    // Pre-warming (max_tokens: 0) cannot stream (provider-facts §1.6).
    const streaming = maxTokens > 0;
    const build = (slot: (text: string) => string): unknown => {
      const content = request.segments.map((s) => {
        const block: Record<string, unknown> = { type: 'text', text: slot(textOfSegment(s)) };
        if (s.breakpoint !== undefined) block.cache_control = { type: 'ephemeral', ttl: s.breakpoint };
        return block;
      });
      const fields: Record<string, unknown> = { model: request.model, max_tokens: maxTokens, messages: [{ role: 'user', content }] };
      if (streaming) fields.stream = true;
      return fields;
    };
    // Everything in the body but the texts: the model, max_tokens (and so stream), each block's TTL.
    let shape = `${request.model}\u0000${maxTokens}`;
    for (const s of request.segments) shape += `\u0000${s.breakpoint ?? ''}`;
    const body =
      request.model.indexOf('\u0000') >= 0
        ? stringifyWithSegmentTexts(build)
        : bodyWithSegmentTexts(shape, request.segments.map((s) => ({ key: segmentKey(s), text: textOfSegment(s) })), build);
    return {
      path: '/v1/messages',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION },
      body,
      streaming,
    };
  },
  decode: (body, streaming) => {
    if (streaming) return decodeStream(body);
    const json = parseJson(body);
    if (field(json, 'usage') === undefined) return undefined;
    return { usage: usageOf(field(json, 'usage')), model: text(json, 'model') };
  },
};
