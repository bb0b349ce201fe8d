// The response bodies are built from templates (for speed); these tests hold the documented shapes
// (provider-facts §1.9, §2.4) and check the templates produce exactly JSON.stringify of them.

import { describe, expect, it } from 'vitest';
import { messageJson } from '../../mock-provider/anthropic/message.ts';
import type { ModelCall } from '../../mock-provider/call-model.ts';
import { completionJson } from '../../mock-provider/openai/completion.ts';
import { answerOf, createTextGenerator } from '../../mock-provider/text.ts';

const usage = { inputTokens: 3, cacheReadTokens: 2_048, cacheWriteTokens: 1_500, cacheWrite1hTokens: 500, outputTokens: 7 };

const callWith = (text: string, truncated: boolean): ModelCall => ({
  outcome: { status: 200, model: 'claude-sonnet-4-6-20260101', node: 1, affinity: 'home', usage, costUsd: 0.01, ttftMs: 5, latencyMs: 9, retryAfterMs: 0, writeKey: 0 },
  nowMs: 1_767_225_601_999,
  rateLimits: [],
  answer: answerOf(text),
  truncated,
});

const texts = ['', 'Plain words.', 'Quotes " and \\ backslashes,\nnewlines,\ttabs, \u2028 separators, é, 漢字 and 🙂.'];

const expectedMessage = (call: ModelCall, requestId: string) => ({
  id: `msg_${requestId.replace(/^req_/, '')}`,
  type: 'message',
  role: 'assistant',
  model: call.outcome.model,
  content: call.answer.text === '' ? [] : [{ type: 'text', text: call.answer.text }],
  stop_reason: call.truncated ? 'max_tokens' : 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 3,
    cache_creation_input_tokens: 1_500,
    cache_read_input_tokens: 2_048,
    cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 500 },
    output_tokens: 7,
    service_tier: 'standard',
  },
});

const expectedCompletion = (call: ModelCall, requestId: string) => ({
  id: `chatcmpl-${requestId.replace(/^req_/, '')}`,
  object: 'chat.completion',
  created: 1_767_225_601,
  model: call.outcome.model,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: call.answer.text, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: call.truncated ? 'length' : 'stop',
    },
  ],
  usage: {
    prompt_tokens: 3 + 2_048 + 1_500,
    completion_tokens: 7,
    total_tokens: 3 + 2_048 + 1_500 + 7,
    prompt_tokens_details: { cached_tokens: 2_048, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_cachecast',
});

describe('response bodies built from templates', () => {
  for (const text of texts) {
    for (const truncated of [false, true]) {
      it(`equal JSON.stringify of the documented shape (text ${JSON.stringify(text.slice(0, 12))}, truncated ${truncated})`, () => {
        const call = callWith(text, truncated);
        expect(messageJson(call, 'req_cc000000002a')).toBe(JSON.stringify(expectedMessage(call, 'req_cc000000002a')));
        expect(completionJson(call, 'req_cc000000002a')).toBe(JSON.stringify(expectedCompletion(call, 'req_cc000000002a')));
      });
    }
  }

  it('carry generated answers escaped exactly as JSON.stringify escapes them', () => {
    const answer = createTextGenerator('seed').answer(12_345, 40);
    expect(answer.json).toBe(JSON.stringify(answer.text));
    const call = { ...callWith('', false), answer };
    expect(JSON.parse(messageJson(call, 'req_x')).content[0].text).toBe(answer.text);
    expect(JSON.parse(completionJson(call, 'req_x')).choices[0].message.content).toBe(answer.text);
  });
});
