// Small builders for model tests: segments named by text, a one-node provider with limits too high
// to matter, and a deterministic rng, so each test states only what it is about.

import seedrandom from 'seedrandom';
import { type DeepPartial, mergeConfig, type ProviderConfig } from '../../../core/model/config.ts';
import { hashString } from '../../../core/model/hash.ts';
import { PROFILES } from '../../../core/model/profiles/index.ts';
import { createProvider, handleRequest, type ProviderState } from '../../../core/model/provider.ts';
import type { Rng } from '../../../core/model/rng.ts';
import type { CacheTtl, ModelRequest, Outcome, Segment } from '../../../core/model/types.ts';

/** A segment whose content is named by `name`: same name and tokens, same bytes. */
export const seg = (name: string, tokens: number, breakpoint?: CacheTtl): Segment =>
  breakpoint === undefined ? { hash: hashString(name), tokens } : { hash: hashString(name), tokens, breakpoint };

export const SONNET = 'claude-sonnet-4-5-20250929';
export const GPT_4O = 'gpt-4o-2024-08-06';

const HUGE = 1e15;
const MIN = 60_000;

/** One node, no queueing to speak of, limits no test reaches unless it sets its own. */
const SMALL: DeepPartial<ProviderConfig> = {
  nodes: { count: 1 },
  quotas: [
    { name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: HUGE, windowMs: MIN },
    { name: 'tokens-per-minute', dimension: 'tokens', kind: 'token-bucket', limit: HUGE, windowMs: MIN },
  ],
};

export const anthropicConfig = (overrides?: DeepPartial<ProviderConfig>): ProviderConfig =>
  mergeConfig<ProviderConfig>(mergeConfig<ProviderConfig>(PROFILES.anthropic, SMALL), overrides);

export const openaiConfig = (overrides?: DeepPartial<ProviderConfig>): ProviderConfig =>
  mergeConfig<ProviderConfig>(mergeConfig<ProviderConfig>(PROFILES.openai, SMALL), overrides);

export const anthropic = (overrides?: DeepPartial<ProviderConfig>): ProviderState => createProvider(anthropicConfig(overrides));
export const openai = (overrides?: DeepPartial<ProviderConfig>): ProviderState => createProvider(openaiConfig(overrides));

export const rngFor = (name = 't'): Rng => seedrandom.alea(name);

/** A Sonnet 4.5 request from tenant `acme` that would generate 100 output tokens. */
export const claudeRequest = (segments: Segment[], extra: Partial<ModelRequest> = {}): ModelRequest => ({
  tenant: 'acme',
  model: SONNET,
  segments,
  outputTokens: 100,
  ...extra,
});

/** A gpt-4o request from tenant `acme` that would generate 300 output tokens. */
export const gptRequest = (segments: Segment[], extra: Partial<ModelRequest> = {}): ModelRequest => ({
  tenant: 'acme',
  model: GPT_4O,
  segments,
  outputTokens: 300,
  ...extra,
});

/** Sends one request at `atMs` with a fixed rng stream. */
export const send = (provider: ProviderState, request: ModelRequest, atMs: number, rng: Rng = rngFor()): Outcome =>
  handleRequest(provider, request, atMs, rng);

/** [cacheReadTokens, cacheWriteTokens, inputTokens]: how one request's prompt was billed. */
export const split = (outcome: Outcome): [number, number, number] => [
  outcome.usage.cacheReadTokens,
  outcome.usage.cacheWriteTokens,
  outcome.usage.inputTokens,
];
