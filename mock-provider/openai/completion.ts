// The Chat Completions response body, its streaming chunks and `usage` (provider-facts §2.4):
// `prompt_tokens` includes the cached tokens, which `prompt_tokens_details.cached_tokens` names.

import { totalInputTokens, type Usage } from '../../core/model/types.ts';
import type { ModelCall } from '../call-model.ts';

export const openaiUsage = (usage: Usage) => {
  const promptTokens = totalInputTokens(usage);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: promptTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
};

/** `openaiUsage` as JSON text (see anthropic/message.ts: the nested object costs ~1 µs to stringify). */
const usageJson = (usage: Usage): string => {
  const promptTokens = totalInputTokens(usage);
  return (
    `{"prompt_tokens":${promptTokens},"completion_tokens":${usage.outputTokens},"total_tokens":${promptTokens + usage.outputTokens},` +
    `"prompt_tokens_details":{"cached_tokens":${usage.cacheReadTokens},"audio_tokens":0},` +
    `"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`
  );
};

export const finishReason = (call: ModelCall): 'length' | 'stop' | 'tool_calls' => (call.truncated ? 'length' : call.tool !== undefined ? 'tool_calls' : 'stop');

/** A forced tool call's `tool_calls` entry: `arguments` is the JSON answer as a string. */
export const toolCallJson = (call: ModelCall, name: string, id: string): string =>
  `[{"id":${JSON.stringify(id)},"type":"function","function":{"name":${JSON.stringify(name)},"arguments":${call.answer.json}}}]`;

export const completionId = (requestId: string): string => `chatcmpl-${requestId.replace(/^req_/, '')}`;

const FINGERPRINT = 'fp_cachecast';

/**
 * The response body as JSON text, from a template for the reason given at anthropic/message.ts's
 * messageJson: the answer's text is escaped once per distinct answer, not once per response.
 */
export const completionJson = (call: ModelCall, requestId: string): string =>
  `{"id":${JSON.stringify(completionId(requestId))},"object":"chat.completion","created":${Math.floor(call.nowMs / 1000)},` +
  `"model":${JSON.stringify(call.outcome.model)},"choices":[{"index":0,"message":{"role":"assistant",` +
  (call.tool === undefined ? `"content":${call.answer.json},` : `"content":null,"tool_calls":${toolCallJson(call, call.tool.name, call.tool.id)},`) +
  `"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"${finishReason(call)}"}],` +
  `"usage":${usageJson(call.outcome.usage)},"service_tier":"default","system_fingerprint":"${FINGERPRINT}"}`;

/** One `chat.completion.chunk`; with include_usage every chunk carries `usage: null` but the last. */
export const chunkBody = (call: ModelCall, requestId: string, choices: unknown[], includeUsage: boolean, usage: unknown = null) => ({
  id: completionId(requestId),
  object: 'chat.completion.chunk',
  created: Math.floor(call.nowMs / 1000),
  model: call.outcome.model,
  service_tier: 'default',
  system_fingerprint: FINGERPRINT,
  choices,
  ...(includeUsage ? { usage } : {}),
});
