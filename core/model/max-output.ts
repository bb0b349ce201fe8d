// The most output tokens each model generates in one response. A request asking for more
// (`max_tokens` above it) is refused with a 400, as the providers do; a request with no cap (the
// OpenAI wires make max_tokens optional, and a replaying client names its length in
// x-cachecast-output-tokens) stops at it. Without this bound one client could make the mock
// provider generate millions of tokens per response (issue 16, item 1).
//
// Figures: the providers' model overview pages (Anthropic "Models overview", "Max output";
// OpenAI model pages, "Max output tokens"), read 2026-11-30. They are not yet in
// ../shared/research/provider-facts.md; ids that have no published figure take the family's.

import type { ModelSpec } from './config.ts';

export const MAX_OUTPUT_TOKENS: Readonly<Record<string, number>> = {
  'claude-sonnet-4-5-20250929': 64_000,
  'claude-sonnet-4-6': 64_000,
  'claude-sonnet-5': 64_000, // no published figure: the Sonnet family's
  'claude-sonnet-4-20250514': 64_000,
  'claude-3-7-sonnet-20250219': 64_000,
  'claude-opus-4-20250514': 32_000,
  'claude-opus-4-1-20250805': 32_000,
  'claude-opus-4-5-20251101': 64_000,
  'claude-opus-4-6': 128_000,
  'claude-opus-4-7': 128_000, // no published figure: Opus 4.6's
  'claude-opus-4-8': 128_000, // no published figure: Opus 4.6's
  'claude-opus-5': 128_000, // no published figure: Opus 4.6's
  'claude-haiku-4-5-20251001': 64_000,
  'claude-3-5-haiku-20241022': 8_192,
  'claude-3-haiku-20240307': 4_096,
  'claude-3-opus-20240229': 4_096,
  'gpt-4o-2024-08-06': 16_384,
  'gpt-4o-mini-2024-07-18': 16_384,
  'gpt-4.1-2025-04-14': 32_768,
  'gpt-4.1-mini-2025-04-14': 32_768,
  'gpt-5-2025-08-07': 128_000,
  'gpt-5-mini-2025-08-07': 128_000,
  'gpt-5-nano-2025-08-07': 128_000,
  'o1-preview-2024-09-12': 32_768,
  'o1-mini-2024-09-12': 65_536,
  'gpt-5.1': 128_000,
  'gpt-5.2': 128_000,
  // Not a provider's model: the engine-comparison profile (profiles/lru-blocks.ts) replays traces
  // whose own output lengths must stand, so its cap only bounds memory.
  'lru-blocks': 1_000_000,
};

/** For a model a scenario defines and the table does not know: the smallest current figure, 16,384. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 16_384;

/** The model's output cap: its spec's own figure (a scenario may set one), else the table's. */
export const maxOutputTokensOf = (model: string, spec: ModelSpec): number =>
  spec.maxOutputTokens ?? MAX_OUTPUT_TOKENS[model] ?? DEFAULT_MAX_OUTPUT_TOKENS;

/** The provider's refusal of a `max_tokens` above the cap, in the wire's words. */
export const maxTokensTooLarge = (wire: 'anthropic' | 'openai', model: string, requested: number, cap: number): string =>
  wire === 'anthropic'
    ? `max_tokens: ${requested} > ${cap}, which is the maximum allowed number of output tokens for ${model}`
    : `max_tokens is too large: ${requested}. This model supports at most ${cap} completion tokens, whereas you provided ${requested}.`;
