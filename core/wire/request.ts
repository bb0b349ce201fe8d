// A provider request body → the model's request, for each wire API: parse, then cut into segments.
// This is the one translation: the mock provider's HTTP edge and `cachecast replay` (request logs,
// `trace hash`, `doctor`) both call it, so a replayed log and the same bodies sent live become the
// same model requests.

import type { Retention, Segment } from '../model/types.ts';
import { type MessagesRequest, parseMessagesRequest } from './anthropic/parse.ts';
import { anthropicSegments } from './anthropic/segments.ts';
import { type ChatRequest, maxTokensOf, parseChatRequest, retentionOf } from './openai/parse.ts';
import { parseResponsesRequest, type ResponsesRequest, responsesRetention } from './openai/responses/parse.ts';
import { responsesSegments } from './openai/responses/segments.ts';
import { openaiSegments } from './openai/segments.ts';
import type { DescribeText } from './text-memo.ts';
import type { FieldError } from './validation.ts';

/** A request as the model receives it from a wire API, already cut into segments. */
export interface WireRequest {
  model: string;
  segments: Segment[];
  maxTokens?: number;
  promptCacheKey?: string;
  retention?: Retention;
}

export const WIRE_APIS = ['anthropic-messages', 'openai-chat', 'openai-responses'] as const;
export type WireApi = (typeof WIRE_APIS)[number];

/** Hash and token count of text on each wire (each provider has its own tokenizer). */
export interface WireDescribers {
  anthropic: DescribeText;
  openai: DescribeText;
}

export type WireResult<B> = { ok: true; body: B; request: WireRequest } | { ok: false; error: FieldError };

export const anthropicWire = (raw: unknown, describe: DescribeText, maxBreakpoints: number): WireResult<MessagesRequest> => {
  const parsed = parseMessagesRequest(raw);
  if (!parsed.ok) return parsed;
  const { body } = parsed;
  const cut = anthropicSegments(body, describe, maxBreakpoints);
  if (!cut.ok) return cut;
  return { ok: true, body, request: { model: body.model, segments: cut.segments, maxTokens: body.max_tokens } };
};

export const chatWire = (raw: unknown, describe: DescribeText): WireResult<ChatRequest> => {
  const parsed = parseChatRequest(raw);
  if (!parsed.ok) return parsed;
  const { body } = parsed;
  return {
    ok: true,
    body,
    request: {
      model: body.model,
      segments: openaiSegments(body, describe),
      maxTokens: maxTokensOf(body),
      promptCacheKey: body.prompt_cache_key ?? undefined,
      retention: retentionOf(body),
    },
  };
};

export const responsesWire = (raw: unknown, describe: DescribeText): WireResult<ResponsesRequest> => {
  const parsed = parseResponsesRequest(raw);
  if (!parsed.ok) return parsed;
  const { body } = parsed;
  return {
    ok: true,
    body,
    request: {
      model: body.model,
      segments: responsesSegments(body, describe),
      maxTokens: body.max_output_tokens ?? undefined,
      promptCacheKey: body.prompt_cache_key ?? undefined,
      retention: responsesRetention(body),
    },
  };
};

/** Any of the three bodies, by API. */
export const toWireRequest = (api: WireApi, raw: unknown, describe: WireDescribers, maxBreakpoints: number): WireResult<unknown> => {
  switch (api) {
    case 'anthropic-messages':
      return anthropicWire(raw, describe.anthropic, maxBreakpoints);
    case 'openai-chat':
      return chatWire(raw, describe.openai);
    case 'openai-responses':
      return responsesWire(raw, describe.openai);
  }
};

const OPENAI_CHAT_ONLY = ['max_completion_tokens', 'prompt_cache_key', 'prompt_cache_retention', 'stream_options', 'n', 'response_format'];
const OPENAI_ROLES = new Set(['system', 'developer', 'tool', 'function']);

const hasBlockCacheControl = (messages: unknown[]): boolean =>
  messages.some((m) => {
    const content = (m as { content?: unknown } | null)?.content;
    return Array.isArray(content) && content.some((b) => typeof b === 'object' && b !== null && 'cache_control' in b);
  });

/**
 * Which API a body was sent to, when the record does not say: `input` is the Responses API's;
 * `system` and `cache_control` are Anthropic's;
 * OpenAI-only fields or roles are Chat Completions'. A body with none of these marks (only
 * user/assistant turns, `max_tokens` or not) goes to `fallback` (Chat Completions if that is the
 * Responses API, which would need `input`).
 */
export const detectWireApi = (raw: unknown, fallback: WireApi): WireApi => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fallback;
  const body = raw as Record<string, unknown>;
  if ('input' in body) return 'openai-responses';
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (OPENAI_CHAT_ONLY.some((key) => key in body)) return 'openai-chat';
  if (messages.some((m) => OPENAI_ROLES.has(String((m as { role?: unknown } | null)?.role)))) return 'openai-chat';
  if ('system' in body || 'cache_control' in body || hasBlockCacheControl(messages)) return 'anthropic-messages';
  return fallback === 'openai-responses' ? 'openai-chat' : fallback;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string content, or the `text` of each text block of an array content. */
const contentTexts = (content: unknown, blocks: boolean, out: string[]): void => {
  if (typeof content === 'string') out.push(content);
  else if (blocks && Array.isArray(content)) for (const b of content) if (isRecord(b) && b.type === 'text' && typeof b.text === 'string') out.push(b.text);
};

/**
 * The texts of a raw body that its translation describes as they are (system and message text,
 * instructions, string inputs), for a describer's `prime`: a reader holding two bodies hashes
 * their long texts in pairs before translating them. Only a hint: a text left out is hashed when
 * described, one given that is not described costs its hash and nothing else.
 */
export const describedTexts = (api: WireApi, raw: unknown, out: string[] = []): string[] => {
  if (!isRecord(raw)) return out;
  const messages = Array.isArray(raw.messages) ? raw.messages : [];
  if (api === 'anthropic-messages') {
    contentTexts(raw.system, true, out);
    for (const m of messages) if (isRecord(m)) contentTexts(m.content, true, out);
  } else if (api === 'openai-chat') {
    // Array contents are joined before they are described (openai/segments.ts): only strings are described as sent.
    for (const m of messages) if (isRecord(m)) contentTexts(m.content, false, out);
  } else {
    contentTexts(raw.instructions, false, out);
    if (!Array.isArray(raw.input)) contentTexts(raw.input, false, out);
    else for (const item of raw.input) if (isRecord(item)) contentTexts(item.content, false, out);
  }
  return out;
};

