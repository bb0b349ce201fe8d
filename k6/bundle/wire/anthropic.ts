// The Anthropic Messages wire: every segment is one text block of one user message, in order, and
// a segment's breakpoint is that block's `cache_control` with its TTL. The mock provider cuts the
// same blocks back into the same segments (mock-provider/anthropic/segments.ts), so the prefix
// structure, breakpoints and token counts are the scenario's own.

import type { Usage } from '../../../core/model/types.ts';
import { textOfSegment } from '../segment-text.ts';
import { field, parseJson, stringifyWithSegmentTexts, text, tokens } from './json.ts';
import { scanSse } from './sse.ts';
import { maxTokensOf, type WireAnswer, type WireCodec } from './types.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

const usageOf = (usage: unknown): Usage => {
  const cacheWrite = tokens(usage, 'cache_creation_input_tokens');
  return {
    inputTokens: tokens(usage, 'input_tokens'),
    cacheReadTokens: tokens(usage, 'cache_read_input_tokens'),
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: Math.min(cacheWrite, tokens(usage, 'cache_creation', 'ephemeral_1h_input_tokens')),
    outputTokens: tokens(usage, 'output_tokens'),
  };
};

/** message_start carries the input usage, message_delta the cumulative usage at the end. */
const decodeStream = (body: string): WireAnswer | undefined => {
  let usage: Usage | undefined;
  let model = '';
  let streamError: string | undefined;
  // Only these carry usage or an error; content deltas are skipped unparsed.
  const wanted = (name: string | undefined): boolean => name === 'message_start' || name === 'message_delta' || name === 'error';
  scanSse(body, wanted, (event) => {
    const data = parseJson(event.data);
    const type = text(data, 'type');
    if (type === 'message_start') {
      usage = usageOf(field(data, 'message', 'usage'));
      model = text(data, 'message', 'model');
    } else if (type === 'message_delta' && usage !== undefined) {
      const delta = field(data, 'usage');
      const merged = usageOf(delta);
      // Fields absent from the delta keep their message_start value.
      for (const key of Object.keys(merged) as Array<keyof Usage>) {
        if (field(delta, WIRE_NAME[key]) !== undefined) usage[key] = merged[key];
      }
    } else if (type === 'error') {
      streamError = text(data, 'error', 'type') || 'error';
    }
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
    const body = stringifyWithSegmentTexts((slot) => {
      const content = request.segments.map((s) => {
        const block: Record<string, unknown> = { type: 'text', text: slot(textOfSegment(s)) };
        if (s.breakpoint !== undefined) block.cache_control = { type: 'ephemeral', ttl: s.breakpoint };
        return block;
      });
      const fields: Record<string, unknown> = { model: request.model, max_tokens: maxTokens, messages: [{ role: 'user', content }] };
      if (streaming) fields.stream = true;
      return fields;
    });
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
