// The cache-key space of live traffic: the mock provider keys a prompt by the hashes of the text
// it receives, and the k6 bundle sends each segment as text (k6/bundle/segment-text.ts), so live
// keys are not the scenario's segment hashes. A state handed from the simulator to the mock
// provider (`cachecast live --window`, `run --snapshot-at`) is only warm for live traffic when the
// simulator hashed prompts the same way: this maps each segment to the segment the mock provider
// cuts from the bundle's encoding of it, through the bundle's own codec and core/wire's own parser
// (each segment is one block, or one message, on both wires). Memoised per segment.

import type { Segment } from '../core/model/types.ts';
import { anthropicSegments } from '../core/wire/anthropic/segments.ts';
import { openaiSegments } from '../core/wire/openai/segments.ts';
import type { ChatRequest } from '../core/wire/openai/parse.ts';
import type { AnthropicPrompt } from '../core/wire/anthropic/segments.ts';
import { createTextMemo } from '../core/wire/text-memo.ts';
import { createTokenCounter } from '../core/wire/tokens.ts';
import type { ScenarioRequest } from '../scenarios/kit/format.ts';
import { WIRES } from './bundle/wire/registry.ts';

export type Wire = keyof typeof WIRES;

/** The key space's name, as a snapshot records it. */
export const wireKeysName = (wire: Wire): string => `k6-${wire}`;

const MAX_MEMO = 200_000;

/** `asSent(request)`: the request with the segments the mock provider would cut from the bundle's text. */
export const createWireKeys = async (wire: Wire): Promise<{ name: string; asSent: (request: ScenarioRequest) => ScenarioRequest }> => {
  // The mock provider's default tokenizer (fast: 4 characters a token), which counts the bundle's text back exactly.
  const describe = createTextMemo(await createTokenCounter('fast', wire === 'anthropic' ? 'cl100k_base' : 'o200k_base'));
  const codec = WIRES[wire];
  const memo = new Map<string, Segment>();
  const sent = (segment: Segment, model: string): Segment => {
    const key = `${segment.hash}:${segment.tokens}:${segment.breakpoint ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const body = JSON.parse(codec.encode({ tenant: 'keys', model, segments: [segment], outputTokens: 1 }, 'keys').body) as unknown;
    let cut: Segment[];
    if (wire === 'anthropic') {
      const result = anthropicSegments(body as AnthropicPrompt, describe, Number.POSITIVE_INFINITY);
      if (!result.ok) throw new Error(`wire keys: the bundle's encoding of a segment does not parse: ${result.error.message}`);
      cut = result.segments;
    } else cut = openaiSegments(body as ChatRequest, describe);
    if (cut.length !== 1) throw new Error(`wire keys: one segment became ${cut.length} on the ${wire} wire`);
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(key, cut[0]);
    return cut[0];
  };
  return { name: wireKeysName(wire), asSent: (request) => ({ ...request, segments: request.segments.map((s) => sent(s, request.model)) }) };
};
