// Real Chat Completions text → the model's segments, once, at the edge: one segment per tool
// definition, then one per message in order (OpenAI caches whole-prompt prefixes in 128-token
// steps; the model cuts inside segments where it must). A message's hash covers its role, name,
// tool calls and content; its token count is its content's.

import { hashString, mixKey, type Segment } from '../../simulator/model/index.ts';
import { canonicalJson } from '../canonical.ts';
import type { DescribeText } from '../text-memo.ts';
import type { ChatMessage, ChatRequest } from './parse.ts';

const contentText = (content: ChatMessage['content']): string => {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : canonicalJson(part))).join('\n');
};

const messageSegment = (message: ChatMessage, describe: DescribeText): Segment => {
  const { content, ...rest } = message;
  const text = describe(contentText(content));
  // Everything but the content is small; hashing it as canonical JSON keeps key order irrelevant.
  const envelope = canonicalJson(rest);
  const extraTokens = Object.keys(rest).length > 1 ? describe(envelope).tokens : 0;
  return { hash: mixKey(hashString(envelope), text.hash, 0), tokens: text.tokens + extraTokens };
};

export const openaiSegments = (body: ChatRequest, describe: DescribeText): Segment[] => {
  const segments: Segment[] = [];
  for (const tool of body.tools ?? []) {
    const facts = describe(canonicalJson(tool));
    segments.push({ hash: mixKey(hashString('tool'), facts.hash, 0), tokens: facts.tokens });
  }
  for (const message of body.messages) segments.push(messageSegment(message, describe));
  return segments;
};
