// The Messages API stream (provider-facts §1.10): message_start (usage so far), content_block_start,
// ping, content_block_delta…, content_block_stop, message_delta (cumulative usage), message_stop.
// An overload on a streaming request arrives as an `error` event after message_start, as the
// real API sends it once the stream has begun.

import type { FastifyReply } from 'fastify';
import type { Clock } from '../clock.ts';
import type { ModelCall } from '../call-model.ts';
import { openSse, paceChunks } from '../sse.ts';
import { chunksOf } from '../text.ts';
import { ANTHROPIC_ERROR_TYPES } from './errors.ts';
import { anthropicUsage, messageId, stopReason, toolUseId } from './message.ts';

const json = JSON.stringify;

const messageStart = (call: ModelCall, requestId: string, model: string) => ({
  type: 'message_start',
  message: {
    id: messageId(requestId),
    type: 'message',
    role: 'assistant',
    content: [],
    model,
    stop_reason: null,
    stop_sequence: null,
    // The first token is counted in message_start, as the API does.
    usage: { ...anthropicUsage(call.outcome.usage), output_tokens: Math.min(1, call.outcome.usage.outputTokens) },
  },
});

export const streamMessage = async (
  reply: FastifyReply,
  call: ModelCall,
  clock: Clock,
  headers: Record<string, string>,
  requestedModel: string,
): Promise<void> => {
  const requestId = reply.request.id;
  const { outcome } = call;
  await clock.wait(outcome.ttftMs);
  const sse = openSse(reply, headers);
  sse.send(json(messageStart(call, requestId, outcome.model || requestedModel)), 'message_start');
  if (outcome.status !== 200) {
    sse.send(json({ type: 'ping' }), 'ping');
    sse.send(json({ type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[529], message: 'Overloaded' } }), 'error');
    sse.end();
    return;
  }
  const chunks = chunksOf(call.answer.text);
  const tool = call.tool;
  // A forced tool streams its input as input_json_delta (provider-facts §1.10), from an empty input.
  const start = tool === undefined ? { type: 'text', text: '' } : { type: 'tool_use', id: toolUseId(call), name: tool.name, input: {} };
  const delta = (text: string) => (tool === undefined ? { type: 'text_delta', text } : { type: 'input_json_delta', partial_json: text });
  if (chunks.length > 0 || tool !== undefined) {
    sse.send(json({ type: 'content_block_start', index: 0, content_block: start }), 'content_block_start');
  }
  sse.send(json({ type: 'ping' }), 'ping');
  await paceChunks(
    clock,
    chunks,
    outcome.latencyMs - outcome.ttftMs,
    (text) => sse.send(json({ type: 'content_block_delta', index: 0, delta: delta(text) }), 'content_block_delta'),
    sse.gone,
  );
  if (chunks.length > 0 || tool !== undefined) sse.send(json({ type: 'content_block_stop', index: 0 }), 'content_block_stop');
  sse.send(
    json({ type: 'message_delta', delta: { stop_reason: stopReason(call), stop_sequence: null }, usage: anthropicUsage(outcome.usage) }),
    'message_delta',
  );
  sse.send(json({ type: 'message_stop' }), 'message_stop');
  sse.end();
};
