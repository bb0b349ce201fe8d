// The Messages API request body as the provider parses it: tools, system and messages in that
// order, `cache_control` on any block (and top level, for automatic caching), `max_tokens`,
// `stream`. Unknown fields pass through, as the API ignores what it does not use here.

import { z } from 'zod';
import { formatZodError, type FieldError } from '../validation.ts';
import { fastMessagesRequest } from './fast-parse.ts';

const cacheControl = z.object({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
});
export type CacheControl = z.infer<typeof cacheControl>;

/** Any content block; a text block must carry its text. */
const block = z
  .looseObject({ type: z.string(), cache_control: cacheControl.nullish() })
  .refine((b) => b.type !== 'text' || typeof (b as { text?: unknown }).text === 'string', {
    message: 'text blocks need a string `text`',
    path: ['text'],
  });
export type ContentBlock = z.infer<typeof block>;

const content = z.union([z.string(), z.array(block)], { error: 'expected string or array of content blocks' });

const message = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content,
});

const systemBlock = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl.nullish(),
});

const tool = z.looseObject({
  name: z.string(),
  cache_control: cacheControl.nullish(),
});

export const messagesRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.int().min(0),
  messages: z.array(message).min(1),
  system: z.union([z.string(), z.array(systemBlock)], { error: 'expected string or array of text blocks' }).optional(),
  tools: z.array(tool).optional(),
  stream: z.boolean().optional(),
  cache_control: cacheControl.nullish(),
});
export type MessagesRequest = z.infer<typeof messagesRequest>;

export type ParseResult = { ok: true; body: MessagesRequest } | { ok: false; error: FieldError };

export const parseMessagesRequest = (body: unknown): ParseResult => {
  // A plainly valid body is checked and copied by hand (fast-parse.ts), into what zod would build.
  let data = fastMessagesRequest(body) as MessagesRequest | undefined;
  if (data === undefined) {
    const result = messagesRequest.safeParse(body);
    if (!result.success) return { ok: false, error: formatZodError(result.error) };
    data = result.data;
  }
  // Pre-warming cannot stream (provider-facts §1.6).
  if (data.max_tokens === 0 && data.stream === true) {
    return { ok: false, error: { message: 'max_tokens: 0 (cache pre-warming) cannot be combined with stream: true', param: 'max_tokens' } };
  }
  return { ok: true, body: data };
};

/** POST /v1/messages/count_tokens: the same prompt fields, without max_tokens or stream. */
export const countTokensRequest = messagesRequest.omit({ max_tokens: true, stream: true });
export type CountTokensRequest = z.infer<typeof countTokensRequest>;

export const parseCountTokensRequest = (body: unknown): { ok: true; body: CountTokensRequest } | { ok: false; error: FieldError } => {
  const result = countTokensRequest.safeParse(body);
  return result.success ? { ok: true, body: result.data } : { ok: false, error: formatZodError(result.error) };
};
