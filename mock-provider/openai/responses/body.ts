// The Responses API's response object and its `usage` (provider-facts §2.4): `input_tokens`
// includes the cached ones, which `input_tokens_details.cached_tokens` names. An answer cut by
// `max_output_tokens` is `status: "incomplete"` with the reason.

import { totalInputTokens, type Usage } from '../../../core/model/types.ts';
import type { ModelCall } from '../../call-model.ts';
import type { ResponsesRequest } from '../../../core/wire/openai/responses/parse.ts';

export const responsesUsage = (usage: Usage) => {
  const inputTokens = totalInputTokens(usage);
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + usage.outputTokens,
  };
};

export const responseId = (requestId: string): string => `resp_${requestId.replace(/^req_/, '')}`;
export const messageItemId = (requestId: string): string => `msg_${requestId.replace(/^req_/, '')}`;

export const outputText = (text: string) => ({ type: 'output_text', text, annotations: [] as unknown[] });

export const messageItem = (requestId: string, status: 'in_progress' | 'completed' | 'incomplete', content: unknown[]) => ({
  id: messageItemId(requestId),
  type: 'message',
  status,
  role: 'assistant',
  content,
});

/** A forced tool call as a `function_call` output item; `arguments` is the JSON answer. */
export const functionCallItem = (requestId: string, call: ModelCall, status: 'in_progress' | 'completed' | 'incomplete', args: string) => ({
  id: `fc_${requestId.replace(/^req_/, '')}`,
  type: 'function_call',
  status,
  arguments: args,
  call_id: call.tool?.id ?? '',
  name: call.tool?.name ?? '',
});

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete';

/** The response object; in progress it has no output or usage yet (the stream's first events). */
export const responseObject = (call: ModelCall, requestId: string, body: ResponsesRequest, status: ResponseStatus) => {
  const done = status !== 'in_progress';
  return {
    id: responseId(requestId),
    object: 'response',
    created_at: Math.floor(call.nowMs / 1000),
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: call.outcome.model,
    output: done
      ? [call.tool === undefined ? messageItem(requestId, status, [outputText(call.answer.text)]) : functionCallItem(requestId, call, status, call.answer.text)]
      : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    prompt_cache_retention: body.prompt_cache_retention ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: false,
    temperature: 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: done ? responsesUsage(call.outcome.usage) : null,
    user: null,
    metadata: {},
  };
};

export const finalStatus = (call: ModelCall): 'completed' | 'incomplete' => (call.truncated ? 'incomplete' : 'completed');
