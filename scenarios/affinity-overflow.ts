// Advisory affinity (../shared/seeds, "The Session Affinity Your Provider Load Balancer Quietly
// Ignored"; provider-facts §2.1: requests sharing a prefix and prompt_cache_key go to one machine
// only up to about 15 requests per minute, then overflow to others, each "a one-time cache miss").
// Agent sessions carry a 16,000-token system prompt and a growing history. The shared system
// prompt is soon warm on every node, so one-shot requests hit wherever they land and the aggregate
// hit rate looks healthy; a long session's history is cached only on the node of its last turn,
// so when its key's rate passes the threshold its turns land on nodes that have never seen it.

import { defineScenario, type Expectation, type RequestBuilder } from './kit/format.ts';
import { both, hitRate, ofClass, ok, percentile, sessionHitRatePercentile } from './kit/measures.ts';
import { segment, uniformInt } from './kit/prompt.ts';
import type { Segment } from '../core/model/types.ts';

const MODEL = 'gpt-5-2025-08-07';
const SYSTEM_TOKENS = 16_000;
const TURN_TOKENS = 2_500;
const TURNS = 20;
const SESSIONS = 60; // agent sessions at a time
const LIGHT_USERS = 500;
const RUN = '60m';
const TURN_EVERY = '90s';

type KeyScope = 'session' | 'user' | 'global';

const system = segment('affinity:agent-system-prompt:v4', SYSTEM_TOKENS);

/**
 * Iteration i is turn `floor(within / SESSIONS)` of session `within % SESSIONS` of generation
 * `floor(i / (SESSIONS × TURNS))`: SESSIONS sessions advance one turn per round, round-robin.
 */
const agentTurn = (key: KeyScope, heavyUsers: number): RequestBuilder => (i, _tMs, rng) => {
  const generation = Math.floor(i / (SESSIONS * TURNS));
  const within = i % (SESSIONS * TURNS);
  const turn = Math.floor(within / SESSIONS);
  const slot = within % SESSIONS;
  const session = `agent-${generation}-${slot}`;
  const user = `power-user-${slot % heavyUsers}`;
  const segments: Segment[] = [system];
  for (let k = 0; k < turn; k++) segments.push(segment(`affinity:${session}:turn:${k}`, TURN_TOKENS));
  segments.push(segment(`affinity:${session}:ask:${turn}`, uniformInt(rng, 100, 400)));
  return {
    tenant: 'acme',
    session,
    class: 'agent',
    model: MODEL,
    segments,
    outputTokens: uniformInt(rng, 100, 300),
    promptCacheKey: key === 'session' ? session : key === 'user' ? user : 'acme-agents',
  };
};

const oneShot = (key: KeyScope): RequestBuilder => (i, _tMs, rng) => {
  const user = `light-user-${uniformInt(rng, 0, LIGHT_USERS - 1)}`;
  return {
    tenant: 'acme',
    session: `one-shot-${i}`,
    class: 'one-shot',
    model: MODEL,
    segments: [system, segment(`affinity:one-shot:${i}`, uniformInt(rng, 200, 800))],
    outputTokens: uniformInt(rng, 100, 300),
    promptCacheKey: key === 'session' ? `one-shot-${i}` : key === 'user' ? user : 'acme-agents',
  };
};

const agents = ofClass('agent');
const m = {
  aggregate: hitRate(),
  sessionMedian: sessionHitRatePercentile(50, TURNS, agents),
  agentTtftP90: percentile('ttftMs', 90, both(ok, agents)),
};

const expect = {
  aggregateLooksFine: { name: 'aggregate-hit-rate', description: 'token-weighted hit rate of all requests', measure: m.aggregate, op: '>=', value: 0.6 },
  aggregateHigh: { name: 'aggregate-hit-rate', description: 'token-weighted hit rate of all requests', measure: m.aggregate, op: '>=', value: 0.85 },
  sessionsCollapse: (value: number): Expectation => ({
    name: 'median-long-session-hit-rate',
    description: 'median per-session hit rate of the 30-turn agent sessions',
    measure: m.sessionMedian,
    op: '<=',
    value,
  }),
  sessionsWarm: {
    name: 'median-long-session-hit-rate',
    description: 'median per-session hit rate of the 30-turn agent sessions',
    measure: m.sessionMedian,
    op: '>=',
    value: 0.9,
  },
  slowTurns: { name: 'agent-p90-ttft-ms', description: 'p90 time to first token of agent turns', measure: m.agentTtftP90, op: '>=', value: 2_200 },
  fastTurns: { name: 'agent-p90-ttft-ms', description: 'p90 time to first token of agent turns', measure: m.agentTtftP90, op: '<=', value: 1_500 },
} satisfies Record<string, Expectation | ((value: number) => Expectation)>;

export default defineScenario({
  name: 'affinity-overflow',
  description:
    'Sixty 20-turn agent sessions (a 16k-token system prompt plus 2.5k tokens of history per turn, a turn every 90 s) send a prompt_cache_key per power user, 30 sessions each, about 20 requests a minute per key, past OpenAI\u2019s ~15: turns overflow to nodes that have not seen the session for minutes, so while the aggregate hit rate stays around 72 % (the shared system prompt is warm everywhere) the median session\u2019s hit rate falls from 93 % to 57 % and agent p90 TTFT nearly doubles to 2.7 s. ' +
    'Look at per-session hit rates of class agent against the aggregate line, at TTFT percentiles of agent turns, and at the affinity column (overflow against home) by variant.',
  startAt: '2026-07-14T15:00:00Z',
  variants: {
    'key-per-user': 'prompt_cache_key = user id: 30 concurrent sessions, about 20 requests per minute per key',
    'key-per-session': 'prompt_cache_key = session id: under 1 request per minute per key, always home',
    'global-key': 'one prompt_cache_key for everything: every request over the threshold',
    'below-threshold': 'key per user, with the same sessions spread over 8 users: about 5 requests per minute per key',
  },
  setup: (variant) => {
    const key: KeyScope = variant === 'key-per-session' ? 'session' : variant === 'global-key' ? 'global' : 'user';
    const heavyUsers = variant === 'below-threshold' ? 8 : 2;
    const expectations: Expectation[] =
      variant === 'key-per-user' || variant === 'global-key'
        ? [expect.aggregateLooksFine, expect.sessionsCollapse(0.65), expect.slowTurns]
        : [expect.aggregateHigh, expect.sessionsWarm, expect.fastTurns];
    return {
      provider: {
        profile: 'openai',
        // A high usage tier: the agents move ~5 M tokens a minute, cached ones included (§2.5).
        overrides: {
          quotas: [
            { name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: 10_000, windowMs: 60_000 },
            { name: 'tokens-per-minute', dimension: 'tokens', kind: 'token-bucket', limit: 40_000_000, windowMs: 60_000 },
          ],
        },
      },
      traffic: {
        agents: { executor: 'constant-arrival-rate', rate: SESSIONS, timeUnit: TURN_EVERY, duration: RUN, build: agentTurn(key, heavyUsers) },
        'one-shot': { executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: RUN, build: oneShot(key) },
      },
      expectations,
    };
  },
});
