// Issue 13: the model against the providers' documented caching, one case per departure found
// when real clients were pointed at the mock. Figures cite ../shared/research/provider-facts.md.

import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../core/model/types.ts';
import { sharingStart } from '../../../scenarios/kit/prompt.ts';
import { anthropic, claudeRequest, gptRequest, openai, seg, send, split } from './helpers.ts';

const MIN = 60_000;
const ITPM = (limit: number) => [{ name: 'input-tokens-per-minute', dimension: 'input-tokens' as const, kind: 'token-bucket' as const, limit, windowMs: MIN }];

describe('item 3: cache reads count toward ITPM on the models marked † (§1.11)', () => {
  // 2,100 cached + 50 uncached tokens; an ITPM bucket of 3,000 with nothing refilled between the two requests.
  const prompt = () => [seg('doc', 2_100, '5m'), seg('question', 50)];

  it.each([
    ['claude-3-5-haiku-20241022', 429],
    ['claude-3-haiku-20240307', 429],
    ['claude-3-opus-20240229', 429],
    ['claude-sonnet-4-5-20250929', 200],
    ['claude-haiku-4-5-20251001', 200],
  ])('%s: a 2,100-token read 10 s after a 2,150-token write on a 3,000 ITPM bucket → %i', (model, status) => {
    // Haiku 4.5's minimum is 4,096, so there nothing is cached and the second request draws 2,150 too: give it room.
    const provider = anthropic({ quotas: ITPM(model === 'claude-haiku-4-5-20251001' ? 4_300 : 3_000) });
    const first = send(provider, claudeRequest(prompt(), { model }), 0);
    expect(first.status).toBe(200);
    // Ten seconds later (the entry is readable; 500 tokens refilled): 1,350 left.
    const second = send(provider, claudeRequest(prompt(), { model }), 10_000);
    expect(second.status).toBe(status);
    if (status === 429) expect(second.error?.quota).toEqual({ dimension: 'input-tokens', limit: 3_000, windowMs: MIN, used: 1_650, requested: 2_150 });
    else if (model !== 'claude-haiku-4-5-20251001') expect(split(second)).toEqual([2_100, 0, 50]);
  });
});

describe('item 11: a 429 names the quota, its use and the request (OpenAI words the message from them)', () => {
  it('TPM 10,000: 6,100 used, 6,100 requested', () => {
    const provider = openai({ quotas: [{ name: 'tokens-per-minute', dimension: 'tokens', kind: 'token-bucket', limit: 10_000, windowMs: MIN }] });
    const prompt = [seg('doc', 6_000)];
    expect(send(provider, gptRequest(prompt, { outputTokens: 100 }), 0).status).toBe(200);
    const refused = send(provider, gptRequest(prompt, { outputTokens: 100 }), 0);
    expect([refused.status, refused.error?.quota]).toEqual([429, { dimension: 'tokens', limit: 10_000, windowMs: MIN, used: 6_100, requested: 6_100 }]);
  });
});

describe('item 4: a hit on a longer entry keeps the shorter entries inside it alive (§1.6)', () => {
  // A = system (2,000, breakpoint); B = A + history (1,000, breakpoint).
  const a = () => [seg('system', 2_000, '5m'), seg('question-1', 20)];
  const ab = () => [seg('system', 2_000, '5m'), seg('history', 1_000, '5m'), seg('question-2', 20)];

  it('a read of A+B at minute 4 refreshes A: a request needing only A at minute 6.5 reads 2,000', () => {
    const provider = anthropic();
    expect(split(send(provider, claudeRequest(ab()), 0))).toEqual([0, 3_000, 20]);
    expect(split(send(provider, claudeRequest(ab()), 4 * MIN))).toEqual([3_000, 0, 20]);
    expect(split(send(provider, claudeRequest(a()), 6.5 * MIN))).toEqual([2_000, 0, 20]);
  });
});

describe('item 5: a read stops at the first missing block (a block cache)', () => {
  it('an entry whose parent prefix was evicted is not read; the request rewrites both', () => {
    // Capacity 3,500 tokens: A (2,000) + B beyond A (1,000) fit; C (1,200 unrelated) evicts A, the least recently used.
    const provider = anthropic({ nodes: { capacityTokens: 3_500 } });
    const ab = () => [seg('system', 2_000, '5m'), seg('history', 1_000, '5m'), seg('q', 20)];
    expect(split(send(provider, claudeRequest(ab()), 0))).toEqual([0, 3_000, 20]);
    // A is written before B, so it is the least recently used entry when room is needed.
    expect(split(send(provider, claudeRequest([seg('other', 1_200, '5m')]), 1_000))).toEqual([0, 1_200, 0]);
    expect(provider.nodes[0].cache.evictions).toBe(1);
    // B (charged 1,000 beyond A) is still there, but its first 2,000 tokens are not: a miss, both rewritten.
    expect(split(send(provider, claudeRequest(ab()), 2_000))).toEqual([0, 3_000, 20]);
  });

  it('on OpenAI, the same: a prefix entry without its parent is not read', () => {
    const provider = openai({ nodes: { capacityTokens: 3_000 } });
    const long = () => [seg('system', 1_100), seg('doc', 1_000), seg('q', 10)];
    // Points 1,024 and 2,048: two entries, 1,024 + 1,024 tokens charged.
    expect(split(send(provider, gptRequest(long()), 0))).toEqual([0, 2_048, 62]);
    expect(split(send(provider, gptRequest([seg('other', 1_000), seg('x', 30)]), 1_000))).toEqual([0, 1_024, 6]);
    expect(provider.nodes[0].cache.evictions).toBe(1);
    expect(split(send(provider, gptRequest(long()), 2_000))[0]).toBe(0);
  });
});

describe('item 2: a run of tool_use blocks counts as one lookback position, and so does a run of tool_result blocks (§1.4)', () => {
  const TOOL_USE = { group: 'tool_use' } as const;
  const TOOL_RESULT = { group: 'tool_result' } as const;
  // The turn's only breakpoint is its last block: the 2,000-token entry must be found by lookback.
  const turn = (calls: number): Segment[] => [
    seg('system', 2_000),
    ...Array.from({ length: calls }, (_, i): Segment => ({ ...seg(`call-${i}`, 30), ...TOOL_USE })),
    ...Array.from({ length: calls }, (_, i): Segment => ({ ...seg(`result-${i}`, 40), ...TOOL_RESULT })),
  ];

  it('25 tool calls and 25 results after the prior write: 2 positions + breakpoint, so the read finds the 2,000-token entry', () => {
    const provider = anthropic();
    expect(split(send(provider, claudeRequest([seg('system', 2_000, '5m'), seg('q', 10)]), 0))).toEqual([0, 2_000, 10]);
    const segments = turn(25);
    segments[segments.length - 1] = { ...segments[segments.length - 1], breakpoint: '5m' };
    // Blocks after the system prompt: 25 × 30 + 25 × 40 = 1,750 tokens, written beyond the 2,000 read.
    expect(split(send(provider, claudeRequest(segments), 1_000))).toEqual([2_000, 1_750, 0]);
  });

  it('without the runs, 50 blocks are 50 positions: the same prompt misses', () => {
    const provider = anthropic();
    send(provider, claudeRequest([seg('system', 2_000, '5m'), seg('q', 10)]), 0);
    const segments = turn(25).map(({ group: _group, ...s }) => s);
    segments[segments.length - 1] = { ...segments[segments.length - 1], breakpoint: '5m' };
    expect(split(send(provider, claudeRequest(segments), 1_000))).toEqual([0, 3_750, 0]);
  });
});

describe('item 1: OpenAI matches inside a segment on the 128-token grid (§2.1)', () => {
  const docAnd = (question: string) => sharingStart(seg(`doc+${question}`, 3_020), 'doc', 3_000);

  it('two segments sharing their first 3,000 tokens: 2,944 cached (1,024 + 15 × 128)', () => {
    const provider = openai();
    expect(split(send(provider, gptRequest([docAnd('q1')]), 0))).toEqual([0, 2_944, 76]);
    expect(split(send(provider, gptRequest([docAnd('q2')]), 1_000))).toEqual([2_944, 0, 76]);
  });

  it('a whole segment named like the head is the same content: the document alone reads 2,944', () => {
    const provider = openai();
    send(provider, gptRequest([docAnd('q1')]), 0);
    expect(split(send(provider, gptRequest([seg('doc', 3_000), seg('q', 20)]), 1_000))).toEqual([2_944, 0, 76]);
  });

  it('without a head, segments match only whole: the same two requests miss', () => {
    const provider = openai();
    send(provider, gptRequest([seg('doc+q1', 3_020)]), 0);
    expect(split(send(provider, gptRequest([seg('doc+q2', 3_020)]), 1_000))[0]).toBe(0);
  });

  it('on Anthropic a head changes nothing: entries are at breakpoints, whole blocks', () => {
    const provider = anthropic();
    const marked = (q: string) => ({ ...docAnd(q), breakpoint: '5m' as const });
    send(provider, claudeRequest([marked('q1')]), 0);
    expect(split(send(provider, claudeRequest([marked('q2')]), 1_000))).toEqual([0, 3_020, 0]);
  });

  it('refuses a head longer than its segment', () => {
    expect(() => sharingStart(seg('x', 10), 'h', 11)).toThrow(/headTokens must be in 1\.\.10/);
  });
});
