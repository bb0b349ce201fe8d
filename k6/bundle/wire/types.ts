// What a wire codec does: a scenario request → one HTTP request in a provider's format, and the
// answer's body → the usage the provider billed.

import type { ScenarioRequest } from '../../../scenarios/kit/format.ts';
import type { Usage } from '../../../core/model/types.ts';

export interface WireRequest {
  /** Path under the target origin, e.g. /v1/messages. */
  path: string;
  headers: Record<string, string>;
  body: string;
  streaming: boolean;
}

export interface WireAnswer {
  usage: Usage;
  /** The model that answered (after the provider's alias resolution), '' when not said. */
  model: string;
  /** An error the provider sent inside a 200 stream (Anthropic's mid-stream overload). */
  streamError?: string;
}

export interface WireCodec {
  encode: (request: ScenarioRequest, apiKey: string) => WireRequest;
  /** Usage of a 200 answer; undefined when the body is not the provider's shape. */
  decode: (body: string, streaming: boolean) => WireAnswer | undefined;
}

/**
 * The request's `max_tokens`: its own cap, or its wanted output length when it has none (Anthropic
 * requires the field). The wanted length itself travels in `x-cachecast-output-tokens`, so the
 * mock provider answers min(wanted, cap) tokens: the simulator's figure.
 */
export const maxTokensOf = (request: ScenarioRequest): number => Math.max(0, request.maxTokens ?? request.outputTokens);
