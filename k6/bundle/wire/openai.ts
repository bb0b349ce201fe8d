// The OpenAI Chat Completions wire: every segment is one user message, in order (the mock provider
// makes one segment per message, mock-provider/openai/segments.ts). The usage names cached tokens
// only: `prompt_tokens - cached_tokens` is uncached input, and OpenAI bills no cache write, so
// cache-write tokens are 0 on this wire (the profile prices writes as plain input anyway).

import type { Usage } from '../../../core/model/types.ts';
import { textOfSegment } from '../segment-text.ts';
import { field, ownField, ownTokens, parseJson, stringifyWithSegmentTexts, text } from './json.ts';
import { scanSse } from './sse.ts';
import { maxTokensOf, type WireCodec } from './types.ts';

const usageOf = (usage: unknown): Usage => {
  const cached = ownTokens(ownField(usage, 'prompt_tokens_details'), 'cached_tokens');
  return {
    inputTokens: Math.max(0, ownTokens(usage, 'prompt_tokens') - cached),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: ownTokens(usage, 'completion_tokens'),
  };
};

const USAGE_OBJECT = /"usage"\s*:\s*\{/;

export const openaiWire: WireCodec = {
  encode: (request, apiKey) => {
    const body = stringifyWithSegmentTexts((slot) => {
      const fields: Record<string, unknown> = {
        model: request.model,
        messages: request.segments.map((s) => ({ role: 'user', content: slot(textOfSegment(s)) })),
        // `max_tokens` is deprecated for Chat Completions and refused by reasoning models; the API
        // needs at least 1, so a 0-token request asks for 1.
        max_completion_tokens: Math.max(1, maxTokensOf(request)),
        stream: true,
        stream_options: { include_usage: true },
      };
      if (request.promptCacheKey !== undefined) fields.prompt_cache_key = request.promptCacheKey;
      if (request.retention !== undefined) fields.prompt_cache_retention = request.retention;
      return fields;
    });
    return {
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body,
      streaming: true,
    };
  },
  decode: (body, streaming) => {
    if (!streaming) {
      const json = parseJson(body);
      return field(json, 'usage') === undefined ? undefined : { usage: usageOf(field(json, 'usage')), model: text(json, 'model') };
    }
    // With include_usage, the chunk before [DONE] carries the whole request's usage.
    let answer: { usage: Usage; model: string } | undefined;
    // Only a chunk whose usage is an object is parsed: the content chunks carry "usage": null or none.
    scanSse(body, (_name, data) => USAGE_OBJECT.test(data), (event) => {
      const chunk = parseJson(event.data);
      const usage = field(chunk, 'usage');
      if (usage !== undefined && usage !== null) answer = { usage: usageOf(usage), model: text(chunk, 'model') };
    });
    return answer;
  },
};
