// Real Chat Completions text → the model's segments, once, at the edge: one segment per tool
// definition, then one per message in order (OpenAI caches whole-prompt prefixes in 128-token
// steps; the model cuts inside segments where it must). A message's hash covers its role, name,
// tool calls and content; its token count is its content's.

import { hashString, mixKey, type Segment } from '../../model/index.ts';
import { canonicalJson } from '../canonical.ts';
import { prefixHashOf, type DescribeText } from '../text-memo.ts';
import { CHARS_PER_TOKEN } from '../tokens.ts';
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

/**
 * A message's segment. Its head hashes the message's own text, so a prefix that ends inside the
 * message matches any message that begins with the same text (OpenAI caches token prefixes in
 * 128-token steps, provider-facts §2.1, not whole messages): the same document followed by a
 * different question shares the document. A prefix of n tokens is the text's first 4n characters,
 * as the default estimator counts (the same mapping for every text, so two texts agree exactly as
 * far as their characters do; under the exact tokenizer it approximates); the envelope's tokens
 * (role, name, tool calls) come first.
 */
export const messageSegment = (message: MessageLike, describe: DescribeText): Segment => {
  const { content, ...rest } = message;
  const raw = contentText(content);
  const text = describe(raw);
  // Everything but the content is small; hashing it as canonical JSON keeps key order irrelevant.
  const envelope = canonicalJson(rest);
  const envelopeHash = hashString(envelope);
  const extraTokens = Object.keys(rest).length > 1 ? describe(envelope).tokens : 0;
  const hash = mixKey(envelopeHash, text.hash, 0);
  const tokens = text.tokens + extraTokens;
  const hashAt = (prefixTokens: number): number => {
    if (prefixTokens >= tokens) return hash;
    return mixKey(envelopeHash, prefixHashOf(raw, text)(Math.max(0, prefixTokens - extraTokens) * CHARS_PER_TOKEN), 0);
  };
  return { hash, tokens, head: { hashAt } };
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
