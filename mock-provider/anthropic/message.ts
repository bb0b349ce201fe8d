// The Messages API response body and its `usage` (provider-facts §1.9): `input_tokens` is the
// uncached remainder; `cache_creation_input_tokens` is the sum of the `cache_creation` TTL split.

import type { Usage } from '../../simulator/model/types.ts';
import type { ModelCall } from '../exchange.ts';

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

export const stopReason = (call: ModelCall): 'max_tokens' | 'end_turn' => (call.truncated ? 'max_tokens' : 'end_turn');

export const messageId = (requestId: string): string => `msg_${requestId.replace(/^req_/, '')}`;

export const messageBody = (call: ModelCall, requestId: string) => ({
  id: messageId(requestId),
  type: 'message',
  role: 'assistant',
  model: call.outcome.model,
  // max_tokens: 0 (pre-warming) answers with no content at all (provider-facts §1.6).
  content: call.answer.text === '' ? [] : [{ type: 'text', text: call.answer.text }],
  stop_reason: stopReason(call),
  stop_sequence: null,
  usage: anthropicUsage(call.outcome.usage),
});
