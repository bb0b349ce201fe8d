// The Responses API stream: typed events, each with a `sequence_number` — response.created,
// response.in_progress, response.output_item.added, response.content_part.added,
// response.output_text.delta… paced by the model's timing, response.output_text.done,
// response.content_part.done, response.output_item.done, and response.completed (or
// response.incomplete when max_output_tokens cut the answer), which carries the usage.

import type { FastifyReply } from 'fastify';
import type { Clock } from '../../clock.ts';
import type { ModelCall } from '../../call-model.ts';
import { openSse, paceChunks } from '../../sse.ts';
import { chunksOf } from '../../text.ts';
import { finalStatus, functionCallItem, messageItem, messageItemId, outputText, responseObject } from './body.ts';
import type { ResponsesRequest } from '../../../core/wire/openai/responses/parse.ts';

export const streamResponse = async (
  reply: FastifyReply,
  call: ModelCall,
  clock: Clock,
  headers: Record<string, string>,
  body: ResponsesRequest,
): Promise<void> => {
  const requestId = reply.request.id;
  const { outcome } = call;
  await clock.wait(outcome.ttftMs);
  const sse = openSse(reply, headers);
  let sequence = 0;
  const send = (type: string, fields: Record<string, unknown>): void => sse.send(JSON.stringify({ type, sequence_number: sequence++, ...fields }), type);
  const at = { item_id: messageItemId(requestId), output_index: 0, content_index: 0 };

  const inProgress = responseObject(call, requestId, body, 'in_progress');
  send('response.created', { response: inProgress });
  send('response.in_progress', { response: inProgress });
  if (call.tool !== undefined) {
    // A forced tool call: a function_call item whose arguments arrive in pieces.
    const item = { item_id: functionCallItem(requestId, call, 'in_progress', '').id, output_index: 0 };
    send('response.output_item.added', { output_index: 0, item: functionCallItem(requestId, call, 'in_progress', '') });
    await paceChunks(clock, chunksOf(call.answer.text), outcome.latencyMs - outcome.ttftMs, (delta) => send('response.function_call_arguments.delta', { ...item, delta }), sse.gone);
    send('response.function_call_arguments.done', { ...item, arguments: call.answer.text });
    const status = finalStatus(call);
    send('response.output_item.done', { output_index: 0, item: functionCallItem(requestId, call, status, call.answer.text) });
    send(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: responseObject(call, requestId, body, status) });
    sse.end();
    return;
  }
  send('response.output_item.added', { output_index: 0, item: messageItem(requestId, 'in_progress', []) });
  send('response.content_part.added', { ...at, part: outputText('') });
  await paceChunks(clock, chunksOf(call.answer.text), outcome.latencyMs - outcome.ttftMs, (delta) => send('response.output_text.delta', { ...at, delta, logprobs: [] }), sse.gone);
  const text = call.answer.text;
  send('response.output_text.done', { ...at, text, logprobs: [] });
  send('response.content_part.done', { ...at, part: outputText(text) });
  const status = finalStatus(call);
  send('response.output_item.done', { output_index: 0, item: messageItem(requestId, status, [outputText(text)]) });
  send(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: responseObject(call, requestId, body, status) });
  sse.end();
};
