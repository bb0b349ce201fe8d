// Latency (provider-facts §5.3): TTFT = queue + base + uncached / prefill rate + cached / load rate;
// decode = (output − 1) / decode rate. Anthropic profile: base 600 ms, prefill 9,000 tok/s,
// cached load 55,000 tok/s, decode 100 tok/s.

import { describe, expect, it } from 'vitest';
import { createSlots, isSaturated, occupySlot, serviceTiming } from '../../../core/model/latency.ts';
import { anthropic, anthropicConfig, claudeRequest, seg, send } from './helpers.ts';

const latency = anthropicConfig().latency;

describe('service timing', () => {
  it('prefills uncached tokens at 9,000 tok/s and decodes at 100 tok/s', () => {
    // 600 + 9,000 / 9,000 s = 1,600 ms; (101 − 1) / 100 s = 1,000 ms.
    expect(serviceTiming(latency, 9_000, 0, 101)).toEqual({ prefillMs: 1_600, decodeMs: 1_000 });
  });

  it('loads cached tokens at 55,000 tok/s', () => {
    // 600 + 55,000 / 55,000 s = 1,600 ms.
    expect(serviceTiming(latency, 0, 55_000, 1)).toEqual({ prefillMs: 1_600, decodeMs: 0 });
  });

  it('spends no decode time on zero output tokens', () => {
    expect(serviceTiming(latency, 0, 0, 0)).toEqual({ prefillMs: 600, decodeMs: 0 });
  });
});

describe('slots and queueing', () => {
  it('starts requests at once while a slot is free, then waits for the earliest one', () => {
    const slots = createSlots(2);
    const timings = [0, 0, 0].map((at) => occupySlot(slots, at, 1_600, 1_000));
    // Third request: both slots busy until 2,600 → queue 2,600, TTFT 4,200, latency 5,200.
    expect(timings).toEqual([
      { queueMs: 0, ttftMs: 1_600, latencyMs: 2_600 },
      { queueMs: 0, ttftMs: 1_600, latencyMs: 2_600 },
      { queueMs: 2_600, ttftMs: 4_200, latencyMs: 5_200 },
    ]);
  });

  it('is saturated only while every slot is busy', () => {
    const slots = createSlots(1);
    occupySlot(slots, 0, 1_600, 1_000);
    expect([isSaturated(slots, 0), isSaturated(slots, 2_599), isSaturated(slots, 2_600)]).toEqual([true, true, false]);
  });
});

describe('latency in the provider', () => {
  it('makes a second simultaneous request wait for the first’s whole service time at concurrency 1', () => {
    const provider = anthropic({ nodes: { concurrency: 1 } });
    const request = claudeRequest([seg('doc', 8_550), seg('question', 450)]);
    const [first, second] = [send(provider, request, 0), send(provider, request, 0)];
    // First: prefill 600 + 9,000 / 9 = 1,600; decode 99 / 100 s = 990; done at 2,590.
    // Second: queue 2,590 + prefill 1,600 = TTFT 4,190; + 990 = 5,180.
    expect([first.ttftMs, first.latencyMs, second.ttftMs, second.latencyMs]).toEqual([1_600, 2_590, 4_190, 5_180]);
  });

  it('cuts time to first token on a cache hit', () => {
    const provider = anthropic();
    const request = claudeRequest([seg('doc', 9_900, '5m'), seg('question', 900)]);
    const cold = send(provider, request, 0);
    const warm = send(provider, request, 10_000);
    // cold: 600 + 10,800 / 9 = 1,800 ms. warm: 600 + 900 / 9 + 9,900 / 55 = 600 + 100 + 180 = 880 ms.
    expect([cold.ttftMs, warm.ttftMs]).toEqual([1_800, 880]);
  });

  it('adds a fault window’s extra latency inside the window only', () => {
    const provider = anthropic({ faults: { windows: [{ fromMs: 1_000, toMs: 2_000, overloadRate: 0, extraLatencyMs: 5_000 }] } });
    const request = claudeRequest([seg('short', 900)]);
    // 600 + 900 / 9 = 700 ms; + 5,000 inside [1,000, 2,000).
    expect([0, 1_000, 1_999, 2_000].map((at) => send(provider, request, at).ttftMs)).toEqual([700, 5_700, 5_700, 700]);
  });

  it('answers 529 overloaded inside a window whose overload rate is 1', () => {
    const provider = anthropic({ faults: { windows: [{ fromMs: 1_000, toMs: 2_000, overloadRate: 1, extraLatencyMs: 0 }] } });
    const request = claudeRequest([seg('short', 900)]);
    expect([0, 1_500, 2_000].map((at) => send(provider, request, at).status)).toEqual([200, 529, 200]);
  });
});
