// Responses API text → the model's segments: tools, then `instructions` as a developer message,
// then each input item in order. A message item becomes the same segment as the equivalent Chat
// Completions message (its `type` and `id` are left out of the hash, and `input_text` parts are
// text): both APIs render a prompt to the same tokens, so the same prompt sent through either
// reads the same cache entries. Other items (tool calls, their outputs) hash as canonical JSON.

import { hashString, mixKey, type Segment } from '../../../model/index.ts';
import { canonicalJson } from '../../canonical.ts';
import type { DescribeText } from '../../text-memo.ts';
import { messageSegment, toolSegment } from '../segments.ts';
import type { ResponsesItem, ResponsesRequest } from './parse.ts';

const itemSegment = (item: ResponsesItem, describe: DescribeText): Segment => {
  if (item.role !== undefined && (item.type === undefined || item.type === 'message')) {
    const { type: _type, id: _id, ...message } = item;
    return messageSegment(message, describe);
  }
  const facts = describe(canonicalJson(item));
  return { hash: mixKey(hashString('item'), facts.hash, 0), tokens: facts.tokens };
};

export const responsesSegments = (body: ResponsesRequest, describe: DescribeText): Segment[] => {
  const segments: Segment[] = [];
  for (const tool of body.tools ?? []) segments.push(toolSegment(tool, describe));
  if (typeof body.instructions === 'string' && body.instructions !== '') segments.push(messageSegment({ role: 'developer', content: body.instructions }, describe));
  if (typeof body.input === 'string') segments.push(messageSegment({ role: 'user', content: body.input }, describe));
  else for (const item of body.input) segments.push(itemSegment(item, describe));
  return segments;
};
