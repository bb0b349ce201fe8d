// A worked example of gating CI on prompt caching: your own prompt layout, traffic and provider.
// `cachecast check scenarios/examples/support-bot.ts` passes as written. Move the user context
// above the cache breakpoint (see PROMPT_LAYOUT below) and the gate fails: every prompt becomes
// unique from its first tokens, the hit rate collapses and input cost per request triples.

import { defineScenario } from '../kit/format.ts';
import { hitRate, ratio, sum, count, ok } from '../kit/measures.ts';
import { segment, uniformInt } from '../kit/prompt.ts';

const USERS = 5_000;

/** The prompt as the application builds it. Reorder these lines to rehearse a prompt change. */
const PROMPT_LAYOUT = (user: number, turn: number) => [
  segment('support-bot:tools:v12', 3_000),
  segment('support-bot:system:v31', 9_000, '5m'),
  segment(`support-bot:user-context:${user}`, 400),
  segment(`support-bot:question:${user}:${turn}`, 150),
];

export default defineScenario({
  name: 'support-bot',
  description:
    'Our support bot: a 12k-token tools + system prefix behind one 5-minute breakpoint, with per-user context after it. ' +
    'The gate fails when a prompt change lowers the hit rate below 85 % or raises input cost per request above $0.01.',
  startAt: '2026-05-04T09:00:00Z',
  variants: { 'business-hours': 'two hours of weekday traffic, 4 requests/s from 5,000 users' },
  setup: () => ({
    provider: { profile: 'anthropic' },
    traffic: {
      users: {
        executor: 'constant-arrival-rate',
        rate: 4,
        timeUnit: '1s',
        duration: '2h',
        build: (i, _tMs, rng) => {
          const user = uniformInt(rng, 0, USERS - 1);
          return { tenant: 'our-org', session: `user-${user}`, model: 'claude-sonnet-4-5', segments: PROMPT_LAYOUT(user, i), outputTokens: 250 };
        },
      },
    },
    expectations: [
      { name: 'hit-rate', description: 'token-weighted cache hit rate', measure: hitRate(), op: '>=', value: 0.85 },
      {
        name: 'cost-per-request-usd',
        description: 'average cost per successful request, USD',
        measure: ratio(sum('costUsd'), count(ok)),
        op: '<=',
        value: 0.01,
      },
    ],
  }),
});
