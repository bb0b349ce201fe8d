import type { ProviderConfig } from '../../../core/model/config.ts';
import { anthropicWire } from './anthropic.ts';
import { openaiWire } from './openai.ts';
import type { WireCodec } from './types.ts';

/** The wire format of each profile (`config.wire`). */
export const WIRES = { anthropic: anthropicWire, openai: openaiWire } satisfies Record<ProviderConfig['wire'], WireCodec>;
