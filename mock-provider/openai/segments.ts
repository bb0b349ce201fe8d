// Real Chat Completions text → the model's segments, once, at the edge: one segment per tool
// definition, then one per message in order (OpenAI caches whole-prompt prefixes in 128-token
// steps; the model cuts inside segments where it must). A message's hash covers its role, name,
// tool calls and content; its token count is its content's.

import { hashString, type Segment } from '../../simulator/model/index.ts';
import { canonicalJson } from '../canonical.ts';
import type { CountTokens } from '../tokens.ts';
import type { ChatMessage, ChatRequest } from './parse.ts';

const contentText = (content: ChatMessage['content']): string => {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : canonicalJson(part))).join('\n');
};

const messageSegment = (message: ChatMessage, count: CountTokens): Segment => {
  const { content, ...rest } = message;
  const text = contentText(content);
  // Everything but the content is small; hashing it as canonical JSON keeps key order irrelevant.
  const envelope = canonicalJson(rest);
  const extraTokens = Object.keys(rest).length > 1 ? count(envelope) : 0;
  return { hash: hashString(`${envelope}\u0000${text}`), tokens: count(text) + extraTokens };
};

export const openaiSegments = (body: ChatRequest, count: CountTokens): Segment[] => {
  const segments: Segment[] = [];
  for (const tool of body.tools ?? []) {
    const json = canonicalJson(tool);
    segments.push({ hash: hashString(`tool\u0000${json}`), tokens: count(json) });
  }
  for (const message of body.messages) segments.push(messageSegment(message, count));
  return segments;
};
