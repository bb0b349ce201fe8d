// The request the mock-provider benches send: an 8k-token system prompt marked for caching (the
// first request writes it, every later one reads it), and an Anthropic profile with no quota a
// bench could run into.

import { type DeepPartial, mergeConfig, type ProviderConfig } from '../../core/model/config.ts';
import { PROFILES } from '../../core/model/index.ts';

export const PROMPT_TOKENS = 8_000;
const SYSTEM_TEXT = 'You are a careful assistant. '.repeat(Math.ceil((PROMPT_TOKENS * 4) / 29)).slice(0, PROMPT_TOKENS * 4);

/** The Messages body, as JSON text, asking for `maxTokens` of answer. */
export const cachedPromptBody = (maxTokens: number): string =>
  JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: maxTokens,
    system: [{ type: 'text', text: SYSTEM_TEXT, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: 'What is in the document?' }],
  });

/** The Anthropic profile with requests unlimited, and `overrides` on top. */
export const unlimitedAnthropic = (overrides: DeepPartial<ProviderConfig> = {}): ProviderConfig =>
  mergeConfig<ProviderConfig>(structuredClone(PROFILES.anthropic), {
    ...overrides,
    quotas: [{ name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: 1e15, windowMs: 60_000 }],
  });
