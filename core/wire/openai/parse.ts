// The Chat Completions request body as the provider parses it: tools, then messages in order,
// `max_tokens` / `max_completion_tokens`, `stream` with `stream_options.include_usage`,
// `prompt_cache_key` and `prompt_cache_retention`. Unknown fields pass through.

import { z } from 'zod';
import type { Retention } from '../../model/types.ts';
import { formatZodError, type FieldError } from '../validation.ts';

const part = z.looseObject({ type: z.string() });

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(part), z.null()], { error: 'expected string, array of content parts or null' }).optional(),
});
export type ChatMessage = z.infer<typeof message>;

export const chatRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  max_tokens: z.int().min(1).nullish(),
  max_completion_tokens: z.int().min(1).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  prompt_cache_key: z.string().nullish(),
  // 'in-memory' is how the docs spell it in prose; the API value is 'in_memory'. Accept both.
  prompt_cache_retention: z.enum(['in_memory', 'in-memory', '24h']).nullish(),
  n: z.literal(1, { error: 'only n: 1 is supported by the mock provider' }).nullish(),
});
export type ChatRequest = z.infer<typeof chatRequest>;

export type ParseResult = { ok: true; body: ChatRequest } | { ok: false; error: FieldError };

/** `messages.0.content` → `messages[0].content`, OpenAI's way of naming a parameter. */
export const openaiParam = (dotted: string): string => dotted.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

export const parseChatRequest = (body: unknown): ParseResult => {
  const result = chatRequest.safeParse(body);
  return result.success ? { ok: true, body: result.data } : { ok: false, error: formatZodError(result.error) };
};

export const retentionOf = (body: ChatRequest): Retention | undefined =>
  body.prompt_cache_retention === '24h' ? '24h' : body.prompt_cache_retention == null ? undefined : 'in_memory';

export const maxTokensOf = (body: ChatRequest): number | undefined => body.max_completion_tokens ?? body.max_tokens ?? undefined;
