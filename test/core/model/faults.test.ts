// Fault injection (issue 3): background and windowed 529s and 500s, and latency spikes, at times
// or at random. Each fault draws from the rng only when its rate is above zero.

import { describe, expect, it } from 'vitest';
import { applyEvent, describeEvent } from '../../../core/model/events.ts';
import { anthropic, claudeRequest, rngFor, seg, send } from './helpers.ts';

const request = claudeRequest([seg('short', 900)]); // TTFT 600 + 900 / 9 = 700 ms when alone

describe('injected faults', () => {
  it('answers 500 internal errors at the background error rate', () => {
    const provider = anthropic({ faults: { errorRate: 0.25 } });
    const rng = rngFor('errors');
    const statuses = Array.from({ length: 2_000 }, (_, i) => send(provider, request, i * 1_000, rng).status);
    const errors = statuses.filter((s) => s === 500).length;
    // Binomial(2,000, 0.25): mean 500, σ ≈ 19; ±4σ.
    expect(errors).toBeGreaterThan(423);
    expect(errors).toBeLessThan(577);
    expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
  });

  it('gives a 500 no tokens, no cost and the internal error kind', () => {
    const outcome = send(anthropic({ faults: { errorRate: 1 } }), request, 0);
    expect([outcome.status, outcome.error?.kind, outcome.usage.inputTokens, outcome.costUsd]).toEqual([500, 'internal', 0, 0]);
  });

  it('raises the error rate inside a window only', () => {
    const provider = anthropic({ faults: { windows: [{ fromMs: 1_000, toMs: 2_000, overloadRate: 0, errorRate: 1, extraLatencyMs: 0 }] } });
    expect([0, 1_000, 1_999, 2_000].map((at) => send(provider, request, at).status)).toEqual([200, 500, 500, 200]);
  });

  it('delays the first token of a share of requests by the spike', () => {
    const provider = anthropic({ faults: { latencySpikeRate: 0.1, latencySpikeMs: 4_000 }, nodes: { concurrency: 10_000 } });
    const rng = rngFor('spikes');
    const ttfts = Array.from({ length: 2_000 }, (_, i) => send(provider, request, i * 60_000, rng).ttftMs);
    const spiked = ttfts.filter((t) => t === 4_700).length;
    // Every answer is either the plain 700 ms or exactly 4 s more; Binomial(2,000, 0.1): mean 200, σ ≈ 13.4.
    expect(ttfts.filter((t) => t !== 700 && t !== 4_700)).toEqual([]);
    expect(spiked).toBeGreaterThan(146);
    expect(spiked).toBeLessThan(254);
  });

  it('draws nothing for faults whose rate is zero, so routing draws stay as they were', () => {
    // The random router consumes the stream: with zero-rate faults configured, the nodes chosen
    // are the ones chosen with no faults configured at all.
    const nodesWith = (faults: object) => {
      const provider = anthropic({ nodes: { count: 4 }, routing: { policy: 'random' }, faults });
      const rng = rngFor('routing');
      return Array.from({ length: 50 }, (_, i) => send(provider, request, i * 1_000, rng).node);
    };
    const plain = nodesWith({});
    expect(nodesWith({ errorRate: 0, latencySpikeRate: 0, latencySpikeMs: 9_000, overloadRate: 0 })).toEqual(plain);
    expect(new Set(plain).size).toBeGreaterThan(1);
    // And a non-zero rate does draw: the routing sequence moves.
    expect(nodesWith({ latencySpikeRate: 0.5, latencySpikeMs: 1 })).not.toEqual(plain);
  });
});

describe('the faults event', () => {
  it('replaces the background rates it names, from the moment it applies', () => {
    const provider = anthropic();
    expect(send(provider, request, 0).status).toBe(200);
    applyEvent(provider, { kind: 'faults', errorRate: 1 });
    expect(send(provider, request, 1_000).status).toBe(500);
    applyEvent(provider, { kind: 'faults', errorRate: 0, latencySpikeRate: 1, latencySpikeMs: 2_000 });
    expect(send(provider, request, 2_000)).toMatchObject({ status: 200, ttftMs: 2_700 });
    expect(describeEvent({ kind: 'faults', overloadRate: 0.5, errorRate: 0.05, latencySpikeRate: 0.1, latencySpikeMs: 3_000 })).toBe(
      'faults: 529s 50 %, 500s 5 %, +3 s TTFT for 10 %',
    );
    expect(describeEvent({ kind: 'faults', overloadRate: 0, errorRate: 0 })).toBe('faults cleared');
  });
});
