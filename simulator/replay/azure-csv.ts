// The Azure LLM inference traces 2023 (../shared/traces/azure-llm-inference-2023/README.md):
//   TIMESTAMP,ContextTokens,GeneratedTokens
//   2023-11-16 18:17:03.9799600,4808,10
// Times are UTC with seven fractional digits (read to the millisecond). No prefix information:
// each request is one segment of its own, so these traces exercise quotas, latency and cost,
// never a cache hit.

import { mixKey } from '../../core/model/hash.ts';
import type { ReplayRecord } from './record.ts';

export const AZURE_HEADER = 'TIMESTAMP,ContextTokens,GeneratedTokens';

type Parsed = { ok: true; record: ReplayRecord } | { ok: false; message: string };

const TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,3})\d*)?$/;
const COUNT = /^\d+$/;

export const parseAzureLine = (text: string, lineNumber: number): Parsed => {
  const fields = text.split(',');
  if (fields.length !== 3) return { ok: false, message: `expected 3 comma-separated fields (${AZURE_HEADER}), found ${fields.length}` };
  const [time, context, generated] = fields.map((f) => f.trim());
  const match = TIME.exec(time);
  const atMs = match === null ? Number.NaN : Date.parse(`${match[1]}T${match[2]}.${(match[3] ?? '0').padEnd(3, '0')}Z`);
  if (!Number.isFinite(atMs)) return { ok: false, message: `TIMESTAMP: expected a time like 2023-11-16 18:17:03.9799600, got "${time}"` };
  if (!COUNT.test(context)) return { ok: false, message: `ContextTokens: expected a non-negative integer, got "${context}"` };
  if (!COUNT.test(generated)) return { ok: false, message: `GeneratedTokens: expected a non-negative integer, got "${generated}"` };
  return {
    ok: true,
    record: {
      lineNumber,
      atMs,
      tenant: '',
      session: '',
      class: 'interactive',
      model: undefined,
      // A prompt shared with no other request: its own hash.
      segments: [{ hash: mixKey(0x5a2e, lineNumber, 0), tokens: Number(context) }],
      outputTokens: Number(generated),
    },
  };
};
