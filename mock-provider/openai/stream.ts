// The Chat Completions stream: a role chunk and content chunks paced by the model's timing, a
// final chunk with finish_reason, with `stream_options.include_usage` one more chunk with empty
// `choices` and the whole request's usage, then `data: [DONE]` (provider-facts §2.4).

import type { FastifyReply } from 'fastify';
import type { Clock } from '../clock.ts';
import type { ModelCall } from '../call-model.ts';
import { openSse, paceChunks } from '../sse.ts';
import { chunksOf } from '../text.ts';
import { chunkBody, finishReason, openaiUsage } from './completion.ts';

const choice = (delta: Record<string, unknown>, finish: string | null) => ({ index: 0, delta, logprobs: null, finish_reason: finish });

export const streamCompletion = async (
  reply: FastifyReply,
  call: ModelCall,
  clock: Clock,
  headers: Record<string, string>,
  includeUsage: boolean,
): Promise<void> => {
  const requestId = reply.request.id;
  const { outcome } = call;
  await clock.wait(outcome.ttftMs);
  const sse = openSse(reply, headers);
  const send = (choices: unknown[], usage: unknown = null): void =>
    sse.send(JSON.stringify(chunkBody(call, requestId, choices, includeUsage, usage)));
  const tool = call.tool;
  if (tool === undefined) {
    send([choice({ role: 'assistant', content: '', refusal: null }, null)]);
    await paceChunks(clock, chunksOf(call.answer.text), outcome.latencyMs - outcome.ttftMs, (text) => send([choice({ content: text }, null)]), sse.gone);
  } else {
    // A forced tool call: the call's id and name first, then its arguments in pieces.
    send([choice({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: tool.id, type: 'function', function: { name: tool.name, arguments: '' } }] }, null)]);
    const argumentsDelta = (text: string) => choice({ tool_calls: [{ index: 0, function: { arguments: text } }] }, null);
    await paceChunks(clock, chunksOf(call.answer.text), outcome.latencyMs - outcome.ttftMs, (text) => send([argumentsDelta(text)]), sse.gone);
  }
  send([choice({}, finishReason(call))]);
  if (includeUsage) send([], openaiUsage(outcome.usage));
  sse.send('[DONE]');
  sse.end();
};
