// The Messages API response body and its `usage` (provider-facts §1.9): `input_tokens` is the
// uncached remainder; `cache_creation_input_tokens` is the sum of the `cache_creation` TTL split.

import type { Usage } from '../../core/model/types.ts';
import type { ModelCall } from '../call-model.ts';

export const anthropicUsage = (usage: Usage) => ({
  input_tokens: usage.inputTokens,
  cache_creation_input_tokens: usage.cacheWriteTokens,
  cache_read_input_tokens: usage.cacheReadTokens,
  cache_creation: {
    ephemeral_5m_input_tokens: usage.cacheWriteTokens - usage.cacheWrite1hTokens,
    ephemeral_1h_input_tokens: usage.cacheWrite1hTokens,
  },
  output_tokens: usage.outputTokens,
  service_tier: 'standard',
});

/** `anthropicUsage` as JSON text: JSON.stringify of the nested object costs ~1 µs, this ~0.05. */
const usageJson = (usage: Usage): string =>
  `{"input_tokens":${usage.inputTokens},"cache_creation_input_tokens":${usage.cacheWriteTokens},"cache_read_input_tokens":${usage.cacheReadTokens},` +
  `"cache_creation":{"ephemeral_5m_input_tokens":${usage.cacheWriteTokens - usage.cacheWrite1hTokens},"ephemeral_1h_input_tokens":${usage.cacheWrite1hTokens}},` +
  `"output_tokens":${usage.outputTokens},"service_tier":"standard"}`;

export const stopReason = (call: ModelCall): 'max_tokens' | 'end_turn' | 'tool_use' => (call.truncated ? 'max_tokens' : call.tool !== undefined ? 'tool_use' : 'end_turn');

/** A forced tool's id in Anthropic's style. */
export const toolUseId = (call: ModelCall): string => `toolu_${(call.tool?.id ?? '').replace(/^call_/, '')}`;

/** The tool_use input: the JSON answer, or `{}` when max_tokens cut it short (then it is not JSON). */
export const toolInputJson = (call: ModelCall): string => (call.truncated ? '{}' : call.answer.text);

export const messageId = (requestId: string): string => `msg_${requestId.startsWith('req_') ? requestId.slice(4) : requestId}`;

// The model's name as JSON, for the model of the response before (one model per run, mostly).
let lastModel = '';
let lastModelJson = '""';
const modelJson = (model: string): string => {
  if (model !== lastModel) {
    lastModelJson = JSON.stringify(model);
    lastModel = model;
  }
  return lastModelJson;
};

/**
 * The response body as JSON text. It is built from a template so that the answer's text, escaped
 * once per distinct answer (text.ts), is not escaped again for every response: that escaping was
 * most of a cached request's serialization. Key order follows the API's responses;
 * test/mock-provider/wire-json.test.ts checks the text against JSON.stringify of the documented shape.
 */
export const messageJson = (call: ModelCall, requestId: string): string => {
  // max_tokens: 0 (pre-warming) answers with no content at all (provider-facts §1.6).
  const content =
    call.tool !== undefined
      ? `[{"type":"tool_use","id":${JSON.stringify(toolUseId(call))},"name":${JSON.stringify(call.tool.name)},"input":${toolInputJson(call)}}]`
      : call.answer.text === ''
        ? '[]'
        : `[{"type":"text","text":${call.answer.json}}]`;
  return (
    `{"id":${JSON.stringify(messageId(requestId))},"type":"message","role":"assistant","model":${modelJson(call.outcome.model)},` +
    `"content":${content},"stop_reason":"${stopReason(call)}","stop_sequence":null,"usage":${usageJson(call.outcome.usage)}}`
  );
};
