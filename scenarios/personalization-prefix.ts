// Personalisation in front of the cache (../shared/research/provider-facts.md §2.1: the cache
// matches exact prefixes from the first token): a team prepends each user's context (name,
// preferences, timezone) to a shared 6,000-token system prompt. Every prompt now differs from the
// first token, so nothing after it can be read from the cache, though the prompt is as long as
// before and prefill is fast enough that latency hardly shows it.

import { defineScenario, type Expectation, type RequestBuilder } from './kit/format.ts';
import { hitRate, inputCostUsd, percentile, ratio, count, ok } from './kit/measures.ts';
import { segment, uniformInt } from './kit/prompt.ts';
import { openaiModels } from '../core/model/profiles/openai.ts';
import type { Segment } from '../core/model/types.ts';

const MODEL = 'gpt-4.1-2025-04-14'; // 75 % cached-input discount
const PRICES = openaiModels[MODEL].prices;
const USERS = 20_000;
const SYSTEM_TOKENS = 6_000;
const CONTEXT_TOKENS = 120;

type Layout = 'none' | 'first' | 'last';

const chat = (layout: Layout): RequestBuilder => (i, _tMs, rng) => {
  const user = uniformInt(rng, 0, USERS - 1);
  const system = segment('personalization:system:v12', SYSTEM_TOKENS);
  const context = segment(`personalization:user:${user}:context`, CONTEXT_TOKENS);
  const message = segment(`personalization:message:${i}`, uniformInt(rng, 200, 800));
  const segments: Segment[] = layout === 'first' ? [context, system, message] : layout === 'last' ? [system, context, message] : [system, message];
  return { tenant: 'acme', session: `user-${user}`, model: MODEL, segments, outputTokens: uniformInt(rng, 150, 450) };
};

const inputCostPerRequest = ratio(inputCostUsd(PRICES), count(ok));
const p50LatencyMs = percentile('latencyMs', 50);

const expectations = {
  warm: { name: 'hit-rate', description: 'token-weighted hit rate over the run', measure: hitRate(), op: '>=', value: 0.85 },
  cold: { name: 'hit-rate', description: 'token-weighted hit rate over the run', measure: hitRate(), op: '<=', value: 0.05 },
  cheapInput: {
    name: 'input-cost-per-request-usd',
    description: 'input-side dollars (uncached, read, write) per request; $0.0043 at 90 % hits',
    measure: inputCostPerRequest,
    op: '<=',
    value: 0.005,
  },
  dearInput: {
    name: 'input-cost-per-request-usd',
    description: 'input-side dollars per request; about three times the $0.0043 of a warm prefix',
    measure: inputCostPerRequest,
    op: '>=',
    value: 0.012,
  },
  latency: {
    name: 'p50-latency-ms',
    description: 'median arrival-to-last-token latency: the cold prefill adds a few hundred ms to ~2.7 s',
    measure: p50LatencyMs,
    op: '<=',
    value: 3_200,
  },
} satisfies Record<string, Expectation>;

export default defineScenario({
  name: 'personalization-prefix',
  description:
    'A product team prepends each user\u2019s context (name, preferences, timezone) to the shared 6,000-token system prompt; every prompt is now unique from its first token, so the hit rate falls from about 90 % to about 3 % and input spend per request roughly triples (gpt-4.1, 75 % cached discount), while median latency moves only about 7 %. ' +
    'Look at the hit-rate and input-cost lines of context-first against no-personalisation and context-last, and at the latency percentiles that barely separate.',
  startAt: '2026-04-07T09:00:00Z',
  variants: {
    'context-first': 'per-user context is the first block, ahead of the system prompt',
    'no-personalisation': 'before the feature: the shared system prompt and the message only',
    'context-last': 'the same context placed after the shared system prompt (after the cache breakpoint)',
  },
  setup: (variant) => {
    const layout: Layout = variant === 'context-first' ? 'first' : variant === 'context-last' ? 'last' : 'none';
    return {
      provider: { profile: 'openai' },
      traffic: { chat: { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '2h', build: chat(layout) } },
      expectations:
        layout === 'first'
          ? [expectations.cold, expectations.dearInput, expectations.latency]
          : [expectations.warm, expectations.cheapInput, expectations.latency],
    };
  },
});
