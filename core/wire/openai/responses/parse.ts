// The Responses API request body (POST /v1/responses) as the provider parses it: `instructions`,
// `input` (a string, or message and other items), `tools`, `max_output_tokens`, `stream`,
// `prompt_cache_key` and `prompt_cache_retention`. Unknown fields pass through. The mock keeps no
// responses, so what needs stored state (`previous_response_id`, `conversation`, `background`)
// is refused by name rather than silently answered without its context.

import { z } from 'zod';
import type { Retention } from '../../../model/types.ts';
import { formatZodError, type FieldError } from '../../validation.ts';

const part = z.looseObject({ type: z.string() });

/** A message item (`type: "message"` or implied by `role`), or any other item (tool calls, their outputs ...). */
const item = z.looseObject({
  type: z.string().optional(),
  role: z.enum(['system', 'developer', 'user', 'assistant']).optional(),
  content: z.union([z.string(), z.array(part)], { error: 'expected string or array of content parts' }).optional(),
});
export type ResponsesItem = z.infer<typeof item>;

const STATEFUL = ['previous_response_id', 'conversation', 'background'] as const;

export const responsesRequest = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(item).min(1)], { error: 'expected string or array of input items' }),
  instructions: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  max_output_tokens: z.int().min(1).nullish(),
  stream: z.boolean().nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.enum(['in_memory', 'in-memory', '24h']).nullish(),
});
export type ResponsesRequest = z.infer<typeof responsesRequest>;

export type ResponsesParseResult = { ok: true; body: ResponsesRequest } | { ok: false; error: FieldError };

export const parseResponsesRequest = (body: unknown): ResponsesParseResult => {
  const result = responsesRequest.safeParse(body);
  if (!result.success) return { ok: false, error: formatZodError(result.error) };
  for (const field of STATEFUL) {
    const value = (result.data as Record<string, unknown>)[field];
    if (value !== undefined && value !== null && value !== false) {
      return { ok: false, error: { message: `${field}: the mock provider keeps no responses or conversations; send the whole input instead`, param: field } };
    }
  }
  return { ok: true, body: result.data };
};

export const responsesRetention = (body: ResponsesRequest): Retention | undefined =>
  body.prompt_cache_retention === '24h' ? '24h' : body.prompt_cache_retention == null ? undefined : 'in_memory';
