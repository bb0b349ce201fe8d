// Real Chat Completions text → the model's segments, once, at the edge: one segment per tool
// definition, then one per message in order (OpenAI caches whole-prompt prefixes in 128-token
// steps; the model cuts inside segments where it must). A message's hash covers its role, name,
// tool calls and content; its token count is its content's.

import { hashString, mixKey, type Segment } from '../../model/index.ts';
import { canonicalJson } from '../canonical.ts';
import type { DescribeText } from '../text-memo.ts';
import type { ChatMessage, ChatRequest } from './parse.ts';

/** Text parts in either API: Chat's `text`, the Responses API's `input_text` and `output_text`. */
const TEXT_PARTS = new Set(['text', 'input_text', 'output_text']);

const contentText = (content: ChatMessage['content']): string => {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return content.map((part) => (TEXT_PARTS.has(part.type) && typeof part.text === 'string' ? part.text : canonicalJson(part))).join('\n');
};

/** A message of either API: its role and other fields, and its content. */
export type MessageLike = Record<string, unknown> & { content?: ChatMessage['content'] };

export const messageSegment = (message: MessageLike, describe: DescribeText): Segment => {
  const { content, ...rest } = message;
  const text = describe(contentText(content));
  // Everything but the content is small; hashing it as canonical JSON keeps key order irrelevant.
  const envelope = canonicalJson(rest);
  const extraTokens = Object.keys(rest).length > 1 ? describe(envelope).tokens : 0;
  return { hash: mixKey(hashString(envelope), text.hash, 0), tokens: text.tokens + extraTokens };
};

export const toolSegment = (tool: Record<string, unknown>, describe: DescribeText): Segment => {
  const facts = describe(canonicalJson(tool));
  return { hash: mixKey(hashString('tool'), facts.hash, 0), tokens: facts.tokens };
};

export const openaiSegments = (body: ChatRequest, describe: DescribeText): Segment[] => {
  const segments: Segment[] = [];
  for (const tool of body.tools ?? []) segments.push(toolSegment(tool, describe));
  for (const message of body.messages) segments.push(messageSegment(message, describe));
  return segments;
};
