// Invariants over random traffic and random provider events, for both profiles: whatever happens,
// no node holds more than its capacity, the prompt splits exactly into read + write + uncached,
// and no request costs less than nothing.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeepPartial, ProviderConfig } from '../../../core/model/config.ts';
import { applyEvent, type ProviderEvent } from '../../../core/model/events.ts';
import { entriesOldestFirst } from '../../../core/model/cache-node.ts';
import { costBreakdownUsd } from '../../../core/model/pricing.ts';
import { anthropicModels } from '../../../core/model/profiles/anthropic.ts';
import { openaiModels } from '../../../core/model/profiles/openai.ts';
import { createProvider, handleRequest, type ProviderState } from '../../../core/model/provider.ts';
import type { ModelRequest, Outcome, Segment, Usage } from '../../../core/model/types.ts';
import { anthropicConfig, openaiConfig, rngFor, seg } from './helpers.ts';

const NAMES = ['tools', 'system', 'doc a', 'doc b', 'turn 1', 'turn 2', 'turn 3', 'tail'];

const segmentArb = fc
  .record({
    name: fc.constantFrom(...NAMES),
    tokens: fc.constantFrom(0, 128, 700, 1_024, 2_000, 4_096, 6_000),
    breakpoint: fc.constantFrom(undefined, undefined, '5m' as const, '1h' as const),
  })
  .map((s) => seg(s.name, s.tokens, s.breakpoint));

/** A few prompts that requests share prefixes of, so reads, writes and evictions all happen. */
const libraryArb = fc.array(fc.array(segmentArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 });

const requestArb = (library: Segment[][], models: string[]): fc.Arbitrary<ModelRequest> =>
  fc
    .record({
      tenant: fc.constantFrom('acme', 'globex'),
      // Mostly one model, so prefixes are reused; now and then another, an alias or an unknown one.
      model: fc.oneof({ weight: 6, arbitrary: fc.constant(models[0]) }, { weight: 1, arbitrary: fc.constantFrom(...models) }),
      prompt: fc.integer({ min: 0, max: library.length - 1 }),
      // Usually the whole prompt, sometimes a prefix of it; half the time a fresh last turn.
      keep: fc.oneof(fc.constant(8), fc.integer({ min: 0, max: 8 })),
      tail: fc.option(segmentArb, { nil: undefined, freq: 2 }),
      outputTokens: fc.integer({ min: 0, max: 2_000 }),
      maxTokens: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }),
      promptCacheKey: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
      retention: fc.option(fc.constantFrom('in_memory' as const, '24h' as const), { nil: undefined }),
    })
    .map(({ prompt, keep, tail, ...request }) => {
      const segments = library[prompt].slice(0, keep);
      return { ...request, segments: tail === undefined ? segments : [...segments, tail] };
    });

const eventArb = (aliases: string[], models: string[]): fc.Arbitrary<ProviderEvent> =>
  fc.oneof(
    fc.record({ kind: fc.constant('capacity-cut' as const), factor: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('tokenizer-upgrade' as const), tokenInflation: fc.constantFrom(1, 1.2, 1.35) }),
    fc.record({ kind: fc.constant('alias-repoint' as const), alias: fc.constantFrom(...aliases), model: fc.constantFrom(...models) }),
    fc.record({ kind: fc.constant('ttl-change' as const), ttl: fc.constantFrom('5m' as const, '1h' as const), ttlMs: fc.integer({ min: 1, max: 600_000 }) }),
    fc.record({ kind: fc.constant('node-drain' as const), node: fc.integer({ min: 0, max: 2 }) }),
  );

/** Time since the previous step: none (a burst), a few seconds (past the writer's first token), or minutes. */
const gapArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 400_000 }));

type Step = { at: number; request: ModelRequest } | { at: number; event: ProviderEvent };

const stepsArb = (models: string[], aliases: string[]): fc.Arbitrary<Step[]> =>
  libraryArb.chain((library) =>
    fc.array(
      fc.oneof(
        { weight: 12, arbitrary: fc.record({ at: gapArb, request: requestArb(library, [...models, ...aliases, 'no-such-model']) }) },
        { weight: 1, arbitrary: fc.record({ at: gapArb, event: eventArb(aliases, models) }) },
      ),
      { minLength: 10, maxLength: 60 },
    ),
  );

const nodesArb: fc.Arbitrary<DeepPartial<ProviderConfig>> = fc.record({
  nodes: fc.record({
    count: fc.integer({ min: 1, max: 3 }),
    capacityTokens: fc.integer({ min: 1_000, max: 100_000 }),
    concurrency: fc.integer({ min: 1, max: 4 }),
  }),
});

/** Prompt tokens as the serving model counts them (its tokenizer may inflate the client's count). */
const promptTokensFor = (state: ProviderState, request: ModelRequest, model: string): number => {
  const inflation = state.config.models[model].tokenInflation;
  return request.segments.reduce((sum, s) => sum + (inflation === 1 ? s.tokens : Math.round(s.tokens * inflation)), 0);
};

const usageFields = (u: Usage): number[] => [u.inputTokens, u.cacheReadTokens, u.cacheWriteTokens, u.cacheWrite1hTokens, u.outputTokens];

/** Runs the steps, checking every invariant after each; returns the outcomes. */
const run = (config: ProviderConfig, steps: Step[], seed: string): Outcome[] => {
  const state = createProvider(config);
  const rng = rngFor(seed);
  const outcomes: Outcome[] = [];
  let nowMs = 0;
  for (const step of steps) {
    nowMs += step.at;
    if ('event' in step) {
      try {
        applyEvent(state, step.event);
      } catch {
        // An event naming a node that does not exist is refused, and changes nothing.
      }
    } else {
      const outcome = handleRequest(state, step.request, nowMs, rng);
      outcomes.push(outcome);
      checkOutcome(state, step.request, outcome);
    }
    for (const node of state.nodes) {
      const charged = [...node.cache.entries.values()].reduce((sum, e) => sum + e.chargedTokens, 0);
      // Capacity is never exceeded, and the node's count agrees with its entries.
      expect(node.cache.usedTokens).toBeLessThanOrEqual(node.cache.capacityTokens);
      expect(node.cache.usedTokens).toBe(charged);
      // The LRU list holds exactly the entries the Map finds.
      expect(entriesOldestFirst(node.cache).length).toBe(node.cache.entries.size);
    }
  }
  return outcomes;
};

const checkOutcome = (state: ProviderState, request: ModelRequest, outcome: Outcome): void => {
  const { usage } = outcome;
  expect(usageFields(usage).every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
  expect(outcome.costUsd).toBeGreaterThanOrEqual(0);
  expect(Number.isFinite(outcome.costUsd)).toBe(true);
  if (outcome.status !== 200) {
    expect([outcome.costUsd, ...usageFields(usage)]).toEqual([0, 0, 0, 0, 0, 0]);
    return;
  }
  const promptTokens = promptTokensFor(state, request, outcome.model);
  // Total input = read + write + uncached; cached tokens never exceed the prompt.
  expect(usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens).toBe(promptTokens);
  expect(usage.cacheReadTokens).toBeLessThanOrEqual(promptTokens);
  expect(usage.cacheWrite1hTokens).toBeLessThanOrEqual(usage.cacheWriteTokens);
  expect(usage.outputTokens).toBeLessThanOrEqual(Math.min(request.outputTokens, request.maxTokens ?? Number.POSITIVE_INFINITY));
  // A read is never below the serving model's minimum.
  const minTokens = state.config.models[outcome.model].minCacheableTokens;
  expect(usage.cacheReadTokens === 0 || usage.cacheReadTokens >= minTokens).toBe(true);
  expect(outcome.ttftMs).toBeGreaterThanOrEqual(0);
  expect(outcome.latencyMs).toBeGreaterThanOrEqual(outcome.ttftMs);
  if (state.config.caching.mode === 'automatic-prefix') {
    // OpenAI caches from 1,024 tokens in 128-token steps: read and read + write sit on that grid.
    const onGrid = (n: number): boolean => n === 0 || (n >= 1_024 && (n - 1_024) % 128 === 0);
    expect([onGrid(usage.cacheReadTokens), onGrid(usage.cacheReadTokens + usage.cacheWriteTokens)]).toEqual([true, true]);
  }
};

const PROFILE_CASES = [
  { name: 'anthropic', config: anthropicConfig, models: Object.keys(anthropicModels), aliases: ['claude-sonnet-latest', 'claude-sonnet-4-5'] },
  { name: 'openai', config: openaiConfig, models: Object.keys(openaiModels), aliases: ['gpt-4o', 'gpt-5'] },
] as const;

describe.each(PROFILE_CASES)('provider invariants ($name)', ({ config, models, aliases }) => {
  const scenarioArb = fc.record({
    overrides: nodesArb,
    steps: stepsArb([...models], [...aliases]),
  });

  it('keeps every node within capacity and every prompt split into read + write + uncached', () => {
    fc.assert(
      fc.property(scenarioArb, ({ overrides, steps }) => {
        run(config(overrides), steps, 'invariants');
      }),
      { numRuns: 150 },
    );
  });

  it('answers the same steps with the same outcomes for the same seed', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom('a', 'b'), ({ overrides, steps }, seed) => {
        expect(run(config(overrides), steps, seed)).toEqual(run(config(overrides), steps, seed));
      }),
      { numRuns: 50 },
    );
  });
});

describe('pricing invariants', () => {
  const allPrices = [...Object.values(anthropicModels), ...Object.values(openaiModels)].map((m) => m.prices);
  const usageArb = fc
    .record({
      inputTokens: fc.nat(10_000_000),
      cacheReadTokens: fc.nat(10_000_000),
      cacheWriteTokens: fc.nat(10_000_000),
      oneHourShare: fc.double({ min: 0, max: 1, noNaN: true }),
      outputTokens: fc.nat(1_000_000),
    })
    .map(({ oneHourShare, ...u }): Usage => ({ ...u, cacheWrite1hTokens: Math.floor(u.cacheWriteTokens * oneHourShare) }));

  it('never bills a negative amount, and the parts add up to the total', () => {
    fc.assert(
      fc.property(fc.constantFrom(...allPrices), usageArb, (prices, usage) => {
        const b = costBreakdownUsd(prices, usage);
        expect(Math.min(b.input, b.cacheWrite, b.cacheRead, b.output, b.total)).toBeGreaterThanOrEqual(0);
        expect(b.total).toBeCloseTo(b.input + b.cacheWrite + b.cacheRead + b.output, 9);
      }),
      { numRuns: 500 },
    );
  });
});
