// Provider-side events (DESIGN §1, provider-facts §4): the changes that break a cache when nothing
// in the client changed.

import { describe, expect, it } from 'vitest';
import { applyEvent, describeEvent, type ProviderEvent } from '../../../core/model/events.ts';
import { PROFILES } from '../../../core/model/profiles/index.ts';
import { rateLimitSnapshot } from '../../../core/model/provider.ts';
import { anthropic, claudeRequest, seg, send, SONNET, split } from './helpers.ts';

// 8,550 cached + 450 uncached: see anthropic-caching.test.ts.
const prompt = () => [seg('doc', 8_550, '5m'), seg('question', 450)];

describe('tokenizer upgrade', () => {
  it('makes the next identical request a miss', () => {
    const provider = anthropic();
    send(provider, claudeRequest(prompt()), 0);
    applyEvent(provider, { kind: 'tokenizer-upgrade', model: SONNET });
    expect(split(send(provider, claudeRequest(prompt()), 10_000))).toEqual([0, 8_550, 450]);
  });

  it('inflates every count by the new tokenizer’s factor', () => {
    const provider = anthropic();
    applyEvent(provider, { kind: 'tokenizer-upgrade', model: SONNET, tokenInflation: 1.2 });
    const outcome = send(provider, claudeRequest(prompt()), 0);
    // 8,550 × 1.2 = 10,260 written; 450 × 1.2 = 540 uncached.
    expect(split(outcome)).toEqual([0, 10_260, 540]);
    // 10,260 × 3.75 + 540 × 3 + 100 × 15 = 38,475 + 1,620 + 1,500 = 41,595 µ$
    expect(outcome.costUsd).toBeCloseTo(0.041595, 12);
  });

  it('leaves other models’ caches warm when it names one model', () => {
    const provider = anthropic();
    const other = { model: 'claude-sonnet-4-6' };
    send(provider, claudeRequest(prompt(), other), 0);
    applyEvent(provider, { kind: 'tokenizer-upgrade', model: SONNET });
    expect(split(send(provider, claudeRequest(prompt(), other), 10_000))).toEqual([8_550, 0, 450]);
  });

  it('changes only the provider’s own copy of the profile', () => {
    applyEvent(anthropic(), { kind: 'tokenizer-upgrade' });
    expect(PROFILES.anthropic.models[SONNET].tokenizer).toBe('claude-2024');
  });

  it('refuses an unknown model, naming the field', () => {
    expect(() => applyEvent(anthropic(), { kind: 'tokenizer-upgrade', model: 'claude-x' })).toThrow('event.model: unknown model "claude-x"');
  });
});

describe('alias re-point', () => {
  it('changes the served model and misses on the new one', () => {
    const provider = anthropic();
    const latest = claudeRequest(prompt(), { model: 'claude-sonnet-latest' });
    const before = send(provider, latest, 0);
    const warm = send(provider, latest, 10_000);
    applyEvent(provider, { kind: 'alias-repoint', alias: 'claude-sonnet-latest', model: 'claude-sonnet-4-6' });
    const after = send(provider, latest, 20_000);
    expect([before.model, warm.model, after.model]).toEqual([SONNET, SONNET, 'claude-sonnet-4-6']);
    expect([split(warm), split(after)]).toEqual([
      [8_550, 0, 450],
      [0, 8_550, 450],
    ]);
  });

  it('refuses a target model the provider does not serve', () => {
    expect(() => applyEvent(anthropic(), { kind: 'alias-repoint', alias: 'claude-sonnet-latest', model: 'claude-x' })).toThrow(
      'event.model: unknown model "claude-x"',
    );
  });
});

describe('capacity cut', () => {
  it('evicts least recently used prefixes until the smaller cache fits', () => {
    const provider = anthropic({ nodes: { capacityTokens: 20_000 } });
    const first = () => claudeRequest([seg('first doc', 9_000, '5m')]);
    const second = () => claudeRequest([seg('second doc', 9_000, '5m')]);
    send(provider, first(), 0);
    send(provider, second(), 1_000);
    // 18,000 used; cut to 10,000: the first doc (least recently used) goes.
    applyEvent(provider, { kind: 'capacity-cut', factor: 0.5 });
    expect([provider.nodes[0].cache.capacityTokens, provider.nodes[0].cache.usedTokens, provider.nodes[0].cache.evictions]).toEqual([
      10_000, 9_000, 1,
    ]);
    expect([split(send(provider, second(), 10_000)), split(send(provider, first(), 10_000))]).toEqual([
      [9_000, 0, 0],
      [0, 9_000, 0],
    ]);
  });

  it('cuts one node when it names one', () => {
    const provider = anthropic({ nodes: { count: 2, capacityTokens: 20_000 } });
    applyEvent(provider, { kind: 'capacity-cut', factor: 0.25, node: 1 });
    expect(provider.nodes.map((n) => n.cache.capacityTokens)).toEqual([20_000, 5_000]);
    expect(() => applyEvent(provider, { kind: 'capacity-cut', factor: 0.5, node: 2 })).toThrow('event.node: no node 2');
  });
});

describe('node drain', () => {
  it('reroutes a prefix to a live node, where it is cold', () => {
    const provider = anthropic({ nodes: { count: 2 } });
    const before = send(provider, claudeRequest(prompt()), 0);
    applyEvent(provider, { kind: 'node-drain', node: before.node });
    const after = send(provider, claudeRequest(prompt()), 10_000);
    expect([after.node, after.affinity, ...split(after)]).toEqual([1 - before.node, 'home', 0, 8_550, 450]);
    expect(provider.nodes[before.node].cache.usedTokens).toBe(0);
  });

  it('leaves prefixes on other nodes home and warm', () => {
    const provider = anthropic({ nodes: { count: 4 } });
    const prompts = Array.from({ length: 12 }, (_, i) => claudeRequest([seg(`doc ${i}`, 8_550, '5m'), seg('question', 450)]));
    const before = prompts.map((r) => send(provider, r, 0));
    const drained = before[0].node;
    applyEvent(provider, { kind: 'node-drain', node: drained });
    const after = prompts.map((r) => send(provider, r, 10_000));
    // Each prefix: still on its node and read, or (only those that lived on the drained node) moved and written.
    const expected = before.map((b) => (b.node === drained ? 'moved, cold' : 'stayed, warm'));
    const seen = after.map((a, i) =>
      a.node !== before[i].node && a.usage.cacheReadTokens === 0 ? 'moved, cold' : a.node === before[i].node && a.usage.cacheReadTokens === 8_550 ? 'stayed, warm' : 'other',
    );
    expect(seen).toEqual(expected);
    expect(expected).toContain('stayed, warm');
  });

  it('answers 529 overloaded when every node is drained', () => {
    const provider = anthropic();
    applyEvent(provider, { kind: 'node-drain', node: 0 });
    const outcome = send(provider, claudeRequest(prompt()), 0);
    expect([outcome.status, outcome.error?.kind, outcome.costUsd]).toEqual([529, 'overloaded', 0]);
  });

  it('refuses a node that does not exist', () => {
    expect(() => applyEvent(anthropic(), { kind: 'node-drain', node: 7 })).toThrow('event.node: no node 7');
  });
});

describe('TTL change', () => {
  it('gives new writes the new TTL', () => {
    const provider = anthropic();
    applyEvent(provider, { kind: 'ttl-change', ttl: '5m', ttlMs: 60_000 });
    send(provider, claudeRequest(prompt()), 0); // expires at 60,000
    const hit = send(provider, claudeRequest(prompt()), 59_999); // refreshed: 59,999 + 60,000 = 119,999
    const expired = send(provider, claudeRequest(prompt()), 119_999);
    expect([split(hit), split(expired)]).toEqual([
      [8_550, 0, 450],
      [0, 8_550, 450],
    ]);
  });
});

describe('quota change', () => {
  it('applies the new limit with fresh usage', () => {
    const provider = anthropic();
    applyEvent(provider, { kind: 'quota-change', quota: 'requests-per-minute', changes: { limit: 1 } });
    expect([send(provider, claudeRequest(prompt()), 0).status, send(provider, claudeRequest(prompt()), 0).status]).toEqual([200, 429]);
  });

  it('leaves the usage of the other quotas as it was', () => {
    const provider = anthropic({ quotas: PROFILES.anthropic.quotas });
    applyEvent(provider, { kind: 'quota-change', quota: 'requests-per-minute', changes: { limit: 2 } });
    const used = [send(provider, claudeRequest(prompt()), 0).status, send(provider, claudeRequest(prompt()), 0).status];
    // Requests per minute are spent; raising the output-token limit must not refill them.
    applyEvent(provider, { kind: 'quota-change', quota: 'output-tokens-per-minute', changes: { limit: 800_000 } });
    const after = send(provider, claudeRequest(prompt()), 0);
    expect([...used, after.status, after.retryAfterMs]).toEqual([200, 200, 429, 30_000]);
    expect(rateLimitSnapshot(provider, 'acme', SONNET, 0).map((s) => [s.dimension, s.limit, s.remaining])).toEqual([
      ['requests', 2, 0],
      ['input-tokens', 2_000_000, 2_000_000 - 18_000],
      ['output-tokens', 800_000, 800_000],
    ]);
  });

  it('changes a quota’s kind without carrying the old kind’s state over', () => {
    const provider = anthropic();
    send(provider, claudeRequest(prompt()), Date.UTC(2026, 0, 15, 12, 0, 30));
    applyEvent(provider, { kind: 'quota-change', quota: 'requests-per-minute', changes: { kind: 'fixed-window', limit: 1 } });
    const at = Date.UTC(2026, 0, 15, 12, 0, 40);
    const statuses = [send(provider, claudeRequest(prompt()), at).status, send(provider, claudeRequest(prompt()), at).status];
    // A fresh fixed minute: one request at :40 fits, the second waits for 12:01:00, 20,000 ms away.
    expect([...statuses, send(provider, claudeRequest(prompt()), at).retryAfterMs]).toEqual([200, 429, 20_000]);
  });

  it('refuses a quota that does not exist', () => {
    expect(() => applyEvent(anthropic(), { kind: 'quota-change', quota: 'nope', changes: { limit: 1 } })).toThrow('event.quota: no quota named "nope"');
  });
});

describe('event descriptions', () => {
  it('names each event in a few words', () => {
    const events: ProviderEvent[] = [
      { kind: 'tokenizer-upgrade', model: SONNET },
      { kind: 'alias-repoint', alias: 'claude-sonnet-latest', model: 'claude-sonnet-4-6' },
      { kind: 'capacity-cut', factor: 0.25, node: 1 },
      { kind: 'ttl-change', ttl: '5m', ttlMs: 60_000 },
      { kind: 'quota-change', quota: 'requests-per-minute', changes: { limit: 1 } },
      { kind: 'node-drain', node: 3 },
    ];
    expect(events.map(describeEvent)).toEqual([
      `tokenizer upgrade (${SONNET})`,
      'claude-sonnet-latest → claude-sonnet-4-6',
      'capacity cut to 25 % on node 1',
      '5m TTL now 60 s',
      'quota requests-per-minute changed',
      'node 3 drained',
    ]);
  });
});
