// OpenAI automatic prefix caching (provider-facts §2.1–2.3) through the provider's entry point.
// gpt-4o prices, $/MTok: input 2.50 (writes too: no surcharge, §2.3), cached 1.25, output 10.

import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../core/model/types.ts';
import { gptRequest, openai, rngFor, seg, send, split } from './helpers.ts';

describe('OpenAI caching: what is cached', () => {
  it('caches 1,920 of 2,006 prompt tokens, as in the documented usage example (§2.4)', () => {
    const provider = openai();
    const request = gptRequest([seg('conversation', 2_006)]);
    const cold = send(provider, request, 0);
    const warm = send(provider, request, 10_000);
    // 1,024 + ⌊(2,006 − 1,024) / 128⌋ × 128 = 1,024 + 7 × 128 = 1,920.
    expect([split(cold), split(warm)]).toEqual([
      [0, 1_920, 86],
      [1_920, 0, 86],
    ]);
    // cold: 2,006 × 2.50 + 300 × 10 = 5,015 + 3,000 = 8,015 µ$ (the write costs plain input)
    expect(cold.costUsd).toBeCloseTo(0.008015, 12);
    // warm: 86 × 2.50 + 1,920 × 1.25 + 300 × 10 = 215 + 2,400 + 3,000 = 5,615 µ$
    expect(warm.costUsd).toBeCloseTo(0.005615, 12);
  });

  it('caches nothing below 1,024 tokens', () => {
    const provider = openai();
    const request = gptRequest([seg('short', 1_023)]);
    send(provider, request, 0);
    expect(split(send(provider, request, 10_000))).toEqual([0, 0, 1_023]);
  });

  it('caches in 128-token steps above the minimum', () => {
    const provider = openai();
    const cached = (tokens: number): number => {
      const request = gptRequest([seg(`prompt of ${tokens}`, tokens)]);
      send(provider, request, 0);
      return send(provider, request, 10_000).usage.cacheReadTokens;
    };
    expect([1_024, 1_151, 1_152, 1_279, 1_280].map(cached)).toEqual([1_024, 1_024, 1_152, 1_152, 1_280]);
  });

  it('reads the longest shared prefix on the 128-token grid and writes the rest', () => {
    const provider = openai();
    send(provider, gptRequest([seg('system', 1_500), seg('question 1', 506)]), 0);
    const second = send(provider, gptRequest([seg('system', 1_500), seg('question 2', 600)]), 10_000);
    // Shared 1,500 → 1,024 + 3 × 128 = 1,408 read; 2,100 → 2,048 cached, so 640 written and 52 uncached.
    expect(split(second)).toEqual([1_408, 640, 52]);
  });

  it('keeps caches apart between organisations (§2.6)', () => {
    const provider = openai();
    const request = gptRequest([seg('conversation', 2_006)]);
    send(provider, request, 0);
    expect(split(send(provider, { ...request, tenant: 'globex' }, 10_000))).toEqual([0, 1_920, 86]);
  });
});

describe('OpenAI caching: retention (§2.2)', () => {
  const request = gptRequest([seg('conversation', 2_048)]);

  it('keeps an in-memory prefix for 5 minutes of inactivity', () => {
    const justBefore = openai();
    send(justBefore, request, 0);
    expect(send(justBefore, request, 299_999).usage.cacheReadTokens).toBe(2_048);
    const atTtl = openai();
    send(atTtl, request, 0);
    expect(send(atTtl, request, 300_000).usage.cacheReadTokens).toBe(0);
  });

  it('keeps a 24h-retention prefix for 86,400,000 ms', () => {
    const extended = { ...request, retention: '24h' as const };
    const justBefore = openai();
    send(justBefore, extended, 0);
    expect(send(justBefore, extended, 86_399_999).usage.cacheReadTokens).toBe(2_048);
    const atTtl = openai();
    send(atTtl, extended, 0);
    expect(send(atTtl, extended, 86_400_000).usage.cacheReadTokens).toBe(0);
  });
});

describe('OpenAI caching: affinity routing and overflow (§2.1)', () => {
  const request = gptRequest([seg('shared prefix', 2_048)]);
  /** One request a second for `count` seconds, on two nodes. */
  const steady = (count: number): Outcome[] => {
    const provider = openai({ nodes: { count: 2 } });
    const rng = rngFor();
    return Array.from({ length: count }, (_, i) => send(provider, request, i * 1_000, rng));
  };

  it('sends the first 15 requests in a minute home and overflows the 16th to a cold node', () => {
    const outcomes = steady(17);
    const home = outcomes[0].node;
    expect(outcomes.slice(0, 15).every((o) => o.node === home && o.affinity === 'home')).toBe(true);
    expect([outcomes[15].affinity, outcomes[15].node === home]).toEqual(['overflow', false]);
    // Home: one miss, then 14 hits. The new node: a one-time miss, then a hit.
    expect(outcomes.map((o) => o.usage.cacheReadTokens)).toEqual([0, ...Array(14).fill(2_048), 0, 2_048]);
  });

  it('counts the rate per prefix and prompt_cache_key, so two keys at 10 rpm each never overflow', () => {
    // The same 20 requests under one key would be 20 rpm and overflow from the 16th.
    const provider = openai({ nodes: { count: 2 } });
    const rng = rngFor();
    const outcomes = Array.from({ length: 20 }, (_, i) =>
      send(provider, { ...request, promptCacheKey: i % 2 === 0 ? 'even' : 'odd' }, i * 3_000, rng),
    );
    expect(outcomes.filter((o) => o.affinity !== 'home').length).toBe(0);
  });

  it('goes home again once the per-key rate has fallen', () => {
    const provider = openai({ nodes: { count: 2 } });
    const rng = rngFor();
    const burst = Array.from({ length: 16 }, (_, i) => send(provider, request, i * 1_000, rng));
    // Two minutes later both windows are empty: the rate is 1.
    const later = send(provider, request, 180_000, rng);
    expect([burst[15].affinity, later.affinity, later.node]).toEqual(['overflow', 'home', burst[0].node]);
  });
});
