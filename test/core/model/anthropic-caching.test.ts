// Anthropic prompt caching (provider-facts §1.4–1.8) through the provider's one entry point.
// Sonnet 4.5 prices, $/MTok: input 3, 5 m write 3.75, 1 h write 6, read 0.30, output 15.
// Latency: base 600 ms, prefill 9,000 tok/s, cached load 55,000 tok/s, decode 100 tok/s.

import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../core/model/types.ts';
import { anthropic, claudeRequest, seg, send, split } from './helpers.ts';

// 8,550 cached + 450 uncached = 9,000 tokens: a cold prefill of 600 + 9,000 / 9 = 1,600 ms.
const prompt = (): Segment[] => [seg('doc', 8_550, '5m'), seg('question', 450)];
const FIRST_TOKEN_MS = 1_600;

describe('Anthropic caching: writes and reads', () => {
  it('writes the prefix through the breakpoint cold and reads it once the first token is out', () => {
    const provider = anthropic();
    const cold = send(provider, claudeRequest(prompt()), 0);
    const warm = send(provider, claudeRequest(prompt()), 10_000);
    expect([split(cold), split(warm)]).toEqual([
      [0, 8_550, 450],
      [8_550, 0, 450],
    ]);
    // cold: 8,550 × 3.75 + 450 × 3 + 100 × 15 = 32,062.5 + 1,350 + 1,500 = 34,912.5 µ$
    expect(cold.costUsd).toBeCloseTo(0.0349125, 12);
    // warm: 8,550 × 0.30 + 450 × 3 + 100 × 15 = 2,565 + 1,350 + 1,500 = 5,415 µ$
    expect(warm.costUsd).toBeCloseTo(0.005415, 12);
  });

  it('caches nothing when no block carries cache_control', () => {
    const provider = anthropic();
    const request = claudeRequest([seg('doc', 8_550), seg('question', 450)]);
    send(provider, request, 0);
    expect(split(send(provider, request, 10_000))).toEqual([0, 0, 9_000]);
  });

  it('misses when any byte before the breakpoint changes, because the key is cumulative', () => {
    const provider = anthropic();
    send(provider, claudeRequest(prompt()), 0);
    const edited = claudeRequest([seg('doc, edited', 8_550, '5m'), seg('question', 450)]);
    expect(split(send(provider, edited, 10_000))).toEqual([0, 8_550, 450]);
  });

  it('keys the cache by model, so the same prompt on another model misses', () => {
    const provider = anthropic();
    send(provider, claudeRequest(prompt()), 0);
    expect(split(send(provider, claudeRequest(prompt(), { model: 'claude-sonnet-4-6' }), 10_000))).toEqual([0, 8_550, 450]);
  });
});

describe('Anthropic caching: the stampede (§1.7)', () => {
  it('makes N simultaneous cold requests N writes and the next one after the first token a read', () => {
    const provider = anthropic();
    const burst = Array.from({ length: 5 }, () => send(provider, claudeRequest(prompt()), 0));
    expect(burst.map(split)).toEqual(Array.from({ length: 5 }, () => [0, 8_550, 450]));
    // All five wrote the same prefix.
    expect(new Set(burst.map((o) => o.writeKey)).size).toBe(1);
    expect(burst.map((o) => o.ttftMs)).toEqual([1_600, 1_600, 1_600, 1_600, 1_600]);
    // 5 × 8,550 × $3.75/MTok = $0.1603125 of writes where one would have done.
    const writeUsd = burst.reduce((sum, o) => sum + (o.usage.cacheWriteTokens * 3.75) / 1e6, 0);
    expect(writeUsd).toBeCloseTo(0.1603125, 12);
    expect(split(send(provider, claudeRequest(prompt()), FIRST_TOKEN_MS))).toEqual([8_550, 0, 450]);
  });

  it('still writes one millisecond before the first writer’s first token', () => {
    const provider = anthropic();
    send(provider, claudeRequest(prompt()), 0);
    expect(split(send(provider, claudeRequest(prompt()), FIRST_TOKEN_MS - 1))).toEqual([0, 8_550, 450]);
  });
});

describe('Anthropic caching: TTL (§1.6)', () => {
  it('expires a 5-minute entry at exactly 300,000 ms after the writing request started', () => {
    const justBefore = anthropic();
    send(justBefore, claudeRequest(prompt()), 0);
    expect(split(send(justBefore, claudeRequest(prompt()), 299_999))).toEqual([8_550, 0, 450]);

    const atTtl = anthropic();
    send(atTtl, claudeRequest(prompt()), 0);
    expect(split(send(atTtl, claudeRequest(prompt()), 300_000))).toEqual([0, 8_550, 450]);
  });

  it('refreshes the TTL on every hit, from the hitting request’s start', () => {
    const provider = anthropic();
    send(provider, claudeRequest(prompt()), 0);
    send(provider, claudeRequest(prompt()), 200_000); // now expires at 500,000
    const refreshed = send(provider, claudeRequest(prompt()), 450_000); // would have missed without it
    // Refreshed again: expires at 750,000.
    const afterRefresh = send(provider, claudeRequest(prompt()), 750_000);
    expect([split(refreshed), split(afterRefresh)]).toEqual([
      [8_550, 0, 450],
      [0, 8_550, 450],
    ]);
  });

  it('keeps a 1-hour entry for 3,600,000 ms and bills its write at 2×', () => {
    const oneHour = (): Segment[] => [seg('doc', 8_550, '1h'), seg('question', 450)];
    const provider = anthropic();
    const cold = send(provider, claudeRequest(oneHour()), 0);
    expect([cold.usage.cacheWriteTokens, cold.usage.cacheWrite1hTokens]).toEqual([8_550, 8_550]);
    // 8,550 × 6 + 450 × 3 + 100 × 15 = 51,300 + 1,350 + 1,500 = 54,150 µ$
    expect(cold.costUsd).toBeCloseTo(0.05415, 12);
    expect(split(send(provider, claudeRequest(oneHour()), 3_599_999))).toEqual([8_550, 0, 450]);

    const expired = anthropic();
    send(expired, claudeRequest(oneHour()), 0);
    expect(split(send(expired, claudeRequest(oneHour()), 3_600_000))).toEqual([0, 8_550, 450]);
  });
});

describe('Anthropic caching: minimum cacheable length (§1.5)', () => {
  it('silently caches nothing below Sonnet 4.5’s 1,024-token minimum', () => {
    const provider = anthropic();
    const request = claudeRequest([seg('short', 1_023, '5m')]);
    expect([split(send(provider, request, 0)), split(send(provider, request, 10_000))]).toEqual([
      [0, 0, 1_023],
      [0, 0, 1_023],
    ]);
  });

  it('caches a prefix of exactly 1,024 tokens', () => {
    const provider = anthropic();
    const request = claudeRequest([seg('exact', 1_024, '5m')]);
    expect([split(send(provider, request, 0)), split(send(provider, request, 10_000))]).toEqual([
      [0, 1_024, 0],
      [1_024, 0, 0],
    ]);
  });

  it('applies the model’s own minimum: 4,095 tokens are not enough for Haiku 4.5', () => {
    const provider = anthropic();
    const haiku = { model: 'claude-haiku-4-5-20251001' };
    expect(split(send(provider, claudeRequest([seg('doc', 4_095, '5m')], haiku), 0))).toEqual([0, 0, 4_095]);
    expect(split(send(provider, claudeRequest([seg('doc', 4_096, '5m')], haiku), 0))).toEqual([0, 4_096, 0]);
  });
});

describe('Anthropic caching: the 20-block lookback (§1.4)', () => {
  // A 2,000-token system block written on its own, then a conversation of 10-token turns.
  const system = seg('system', 2_000, '5m');
  const turns = (count: number, breakpointAt: number[]): Segment[] => [
    seg('system', 2_000, breakpointAt.includes(1) ? '5m' : undefined),
    ...Array.from({ length: count - 1 }, (_, i) => seg(`turn ${i + 2}`, 10, breakpointAt.includes(i + 2) ? '5m' : undefined)),
  ];
  const warmed = () => {
    const provider = anthropic();
    send(provider, claudeRequest([system]), 0);
    return provider;
  };

  it('reads an entry 20 positions back, counting the breakpoint itself as the first', () => {
    // Breakpoint on block 20: positions 20, 19 … 1 are probed; block 1 is the 20th.
    expect(split(send(warmed(), claudeRequest(turns(20, [20])), 10_000))).toEqual([2_000, 190, 0]);
  });

  it('misses an entry at position 21 and writes the whole prefix again', () => {
    // Breakpoint on block 21: positions 21 … 2 are probed; block 1 is the 21st. 2,000 + 20 × 10 = 2,200.
    expect(split(send(warmed(), claudeRequest(turns(21, [21])), 10_000))).toEqual([0, 2_200, 0]);
  });

  it('reaches further back through an earlier breakpoint’s own 20 positions', () => {
    // Breakpoints on blocks 10 and 21: block 10's window covers 10 … 1.
    expect(split(send(warmed(), claudeRequest(turns(21, [10, 21])), 10_000))).toEqual([2_000, 200, 0]);
  });

  it('misses in the documented example: breakpoint on block 35, previous write at block 15', () => {
    const provider = anthropic();
    send(provider, claudeRequest(turns(15, [1, 15])), 0);
    // Block 35's window is 35 … 16. Reads 0; writes 2,000 + 34 × 10 = 2,340.
    expect(split(send(provider, claudeRequest(turns(35, [35])), 10_000))).toEqual([0, 2_340, 0]);
    // Moving the write to block 16 brings it inside the window: reads 2,150, writes 190.
    const inside = anthropic();
    send(inside, claudeRequest(turns(16, [16])), 0);
    expect(split(send(inside, claudeRequest(turns(35, [35])), 10_000))).toEqual([2_150, 190, 0]);
  });
});

describe('Anthropic caching: mixed 1 h and 5 m breakpoints (§1.6)', () => {
  // tools 2,000 (1 h) · system 3,000 (1 h) · messages 4,000 (5 m) · tail 500.
  const mixed = (system = 'system', messages = 'messages'): Segment[] => [
    seg('tools', 2_000, '1h'),
    seg(system, 3_000, '1h'),
    seg(messages, 4_000, '5m'),
    seg('tail', 500),
  ];
  const byTtl = (usage: { cacheReadTokens: number; cacheWriteTokens: number; cacheWrite1hTokens: number; inputTokens: number }) => [
    usage.cacheReadTokens,
    usage.cacheWrite1hTokens,
    usage.cacheWriteTokens - usage.cacheWrite1hTokens,
    usage.inputTokens,
  ];

  it('bills a cold request: 1 h writes up to B = 5,000, 5 m writes from B to C = 9,000', () => {
    const cold = send(anthropic(), claudeRequest(mixed()), 0);
    expect(byTtl(cold.usage)).toEqual([0, 5_000, 4_000, 500]);
    // 5,000 × 6 + 4,000 × 3.75 + 500 × 3 + 100 × 15 = 30,000 + 15,000 + 1,500 + 1,500 = 48,000 µ$
    expect(cold.costUsd).toBeCloseTo(0.048, 12);
  });

  it('bills reads for A, 1 h writes for B − A and 5 m writes for C − B', () => {
    const provider = anthropic();
    send(provider, claudeRequest(mixed()), 0);
    // The system block changed: the hit is the tools entry, A = 2,000; B = 5,000; C = 9,000.
    const outcome = send(provider, claudeRequest(mixed('system v2')), 10_000);
    expect(byTtl(outcome.usage)).toEqual([2_000, 3_000, 4_000, 500]);
    // 2,000 × 0.30 + 3,000 × 6 + 4,000 × 3.75 + 500 × 3 + 100 × 15 = 600 + 18,000 + 15,000 + 1,500 + 1,500 = 36,600 µ$
    expect(outcome.costUsd).toBeCloseTo(0.0366, 12);
  });

  it('bills no 1 h writes when the hit is already past the last 1 h breakpoint', () => {
    const provider = anthropic();
    send(provider, claudeRequest(mixed()), 0);
    // Only the messages changed: A = 5,000 = B; 5 m writes C − B = 4,000.
    expect(byTtl(send(provider, claudeRequest(mixed('system', 'messages v2')), 10_000).usage)).toEqual([5_000, 0, 4_000, 500]);
  });

  it('reads the whole prefix when nothing changed', () => {
    const provider = anthropic();
    send(provider, claudeRequest(mixed()), 0);
    expect(byTtl(send(provider, claudeRequest(mixed()), 10_000).usage)).toEqual([9_000, 0, 0, 500]);
  });

  it('rejects a 1 h breakpoint after a 5 m one with a 400 naming the ttl', () => {
    const outcome = send(anthropic(), claudeRequest([seg('a', 2_000, '5m'), seg('b', 2_000, '1h')]), 0);
    expect([outcome.status, outcome.error?.kind, outcome.error?.param]).toEqual([400, 'invalid_request', 'cache_control.ttl']);
  });
});

describe('Anthropic caching: request validation and pre-warming', () => {
  const withBreakpoints = (count: number): Segment[] =>
    Array.from({ length: count }, (_, i) => seg(`block ${i}`, 1_000, '5m'));

  it('accepts four breakpoints', () => {
    expect(send(anthropic(), claudeRequest(withBreakpoints(4)), 0).status).toBe(200);
  });

  it('rejects a fifth breakpoint with a 400 naming cache_control and billing nothing', () => {
    const outcome = send(anthropic(), claudeRequest(withBreakpoints(5)), 0);
    expect([outcome.status, outcome.error?.kind, outcome.error?.param, outcome.costUsd]).toEqual([400, 'invalid_request', 'cache_control', 0]);
    expect(outcome.error?.message).toBe('A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  it('answers an unknown model with a 404 naming the model', () => {
    const outcome = send(anthropic(), claudeRequest(prompt(), { model: 'claude-nonexistent' }), 0);
    expect([outcome.status, outcome.error?.kind, outcome.error?.param, outcome.error?.message, outcome.model]).toEqual([
      404,
      'not_found',
      'model',
      'model: claude-nonexistent',
      '',
    ]);
  });

  it('pre-warms with max_tokens 0: no output tokens, a cache write, no decode time', () => {
    const provider = anthropic();
    const warm = send(provider, claudeRequest(prompt(), { maxTokens: 0 }), 0);
    expect([...split(warm), warm.usage.outputTokens]).toEqual([0, 8_550, 450, 0]);
    // 8,550 × 3.75 + 450 × 3 = 32,062.5 + 1,350 = 33,412.5 µ$
    expect(warm.costUsd).toBeCloseTo(0.0334125, 12);
    expect([warm.ttftMs, warm.latencyMs]).toEqual([1_600, 1_600]);
    expect(split(send(provider, claudeRequest(prompt()), FIRST_TOKEN_MS))).toEqual([8_550, 0, 450]);
  });

  it('caps output at max_tokens', () => {
    expect(send(anthropic(), claudeRequest(prompt(), { maxTokens: 40 }), 0).usage.outputTokens).toBe(40);
  });
});

describe('Anthropic caching: isolation scope (§1.2)', () => {
  it('never lets another organisation read an entry', () => {
    const provider = anthropic();
    send(provider, claudeRequest(prompt(), { tenant: 'acme' }), 0);
    expect(split(send(provider, claudeRequest(prompt(), { tenant: 'globex' }), 10_000))).toEqual([0, 8_550, 450]);
    expect(split(send(provider, claudeRequest(prompt(), { tenant: 'acme' }), 20_000))).toEqual([8_550, 0, 450]);
  });

  it('shares identical prompts across organisations when the scope is global', () => {
    const provider = anthropic({ caching: { scope: 'global' } });
    send(provider, claudeRequest(prompt(), { tenant: 'acme' }), 0);
    expect(split(send(provider, claudeRequest(prompt(), { tenant: 'globex' }), 10_000))).toEqual([8_550, 0, 450]);
  });
});
