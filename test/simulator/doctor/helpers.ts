// Log lines → the records doctor reads, through core/wire (as the request-log reader does).

import type { LogRecord } from '../../../simulator/doctor/diagnose.ts';
import { parseMessagesRequest } from '../../../core/wire/anthropic/parse.ts';
import { anthropicSegments } from '../../../core/wire/anthropic/segments.ts';
import { maxTokensOf, parseChatRequest, retentionOf } from '../../../core/wire/openai/parse.ts';
import { openaiSegments } from '../../../core/wire/openai/segments.ts';
import { createTextMemo } from '../../../core/wire/text-memo.ts';
import { estimateTokens } from '../../../core/wire/tokens.ts';
import type { LogLine } from './log-kit.ts';

export const recordsOf = (lines: LogLine[]): LogRecord[] => {
  const describe = createTextMemo(estimateTokens);
  return lines.map((line) => {
    const base = { ts: Date.parse(line.ts), tenant: line.tenant ?? '', session: line.session ?? '' };
    if ('system' in line.body || !JSON.stringify(line.body.messages).includes('"role":"system"')) {
      const parsed = parseMessagesRequest(line.body);
      if (!parsed.ok) throw new Error(parsed.error.message);
      const cut = anthropicSegments(parsed.body, describe, 4);
      if (!cut.ok) throw new Error(cut.error.message);
      return { ...base, wire: 'anthropic-messages', body: parsed.body, request: { model: parsed.body.model, segments: cut.segments } };
    }
    const parsed = parseChatRequest(line.body);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const b = parsed.body;
    return {
      ...base,
      wire: 'openai-chat',
      body: b,
      request: { model: b.model, segments: openaiSegments(b, describe), maxTokens: maxTokensOf(b), promptCacheKey: b.prompt_cache_key ?? undefined, retention: retentionOf(b) },
    };
  });
};
