// The Messages API stream (provider-facts §1.10): message_start (usage so far), content_block_start,
// ping, content_block_delta…, content_block_stop, message_delta (cumulative usage), message_stop.
// An overload on a streaming request arrives as an `error` event after message_start, as the
// real API sends it once the stream has begun.

import type { FastifyReply } from 'fastify';
import type { Clock } from '../clock.ts';
import type { ModelCall } from '../call-model.ts';
import { openSse, paceChunks, sseEvent } from '../sse.ts';
import { type Answer, chunksOf } from '../text.ts';
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

/**
 * A text answer's content_block_delta events, as written, kept with the answer: an identical
 * request gets the same answer object again (text.ts keeps the last few), and building 64 events
 * (an object, its JSON, the event's text each) was most of a streamed cached request's own work.
 */
const textDeltas = new WeakMap<Answer, string[]>();
const textDeltaEvents = (answer: Answer): string[] => {
  let events = textDeltas.get(answer);
  if (events === undefined) {
    events = chunksOf(answer.text).map((text) => sseEvent(json({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }), 'content_block_delta'));
    textDeltas.set(answer, events);
  }
  return events;
};

const TEXT_BLOCK_START = sseEvent(json({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), 'content_block_start');
const PING = sseEvent(json({ type: 'ping' }), 'ping');
const BLOCK_STOP = sseEvent(json({ type: 'content_block_stop', index: 0 }), 'content_block_stop');
const MESSAGE_STOP = sseEvent(json({ type: 'message_stop' }), 'message_stop');

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
  const tool = call.tool;
  // A text answer's events are made once per answer; a forced tool streams its input as
  // input_json_delta (provider-facts §1.10), from an empty input.
  const events =
    tool === undefined
      ? textDeltaEvents(call.answer)
      : chunksOf(call.answer.text).map((text) => sseEvent(json({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: text } }), 'content_block_delta'));
  if (events.length > 0 || tool !== undefined) {
    sse.write(tool === undefined ? TEXT_BLOCK_START : sseEvent(json({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: toolUseId(call), name: tool.name, input: {} } }), 'content_block_start'));
  }
  sse.write(PING);
  await paceChunks(clock, events, outcome.latencyMs - outcome.ttftMs, sse.write, sse.gone);
  if (events.length > 0 || tool !== undefined) sse.write(BLOCK_STOP);
  sse.send(
    json({ type: 'message_delta', delta: { stop_reason: stopReason(call), stop_sequence: null }, usage: anthropicUsage(outcome.usage) }),
    'message_delta',
  );
  sse.write(MESSAGE_STOP);
  sse.end();
};
