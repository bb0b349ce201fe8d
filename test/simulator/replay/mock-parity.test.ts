// A replayed request log and the same requests sent to the mock provider become the same model
// requests (one translation, core/wire/request.ts), so their ledger totals are equal.

import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../core/model/profiles/index.ts';
import { buildMockProvider } from '../../../mock-provider/app.ts';
import { createManualClock } from '../../../mock-provider/clock.ts';
import { replayTrace } from '../../../simulator/replay/replay.ts';
import { tempDir } from '../../cli/helpers.ts';
import { conversationLog, START_MS } from './helpers.ts';

const ROUTES = { anthropic: '/v1/messages', openai: '/v1/chat/completions' } as const;

describe('request-log replay against the mock provider', () => {
  it.each(['anthropic', 'openai'] as const)('gives the %s ledger totals the mock provider gives for the same requests', async (wire) => {
    const log = join(tempDir(), 'log.ndjson');
    writeFileSync(log, conversationLog(wire, `parity-${wire}`));
    const config = PROFILES[wire];
    const replayed = await replayTrace({ file: log, config, seed: 'parity' });

    const clock = createManualClock(START_MS);
    const app = await buildMockProvider({ config, clock, seed: 'parity' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    try {
      for (const text of readFileSync(log, 'utf8').trim().split('\n')) {
        const line = JSON.parse(text) as { ts: number; tenant: string; session: string; class: string; body: unknown; output_tokens?: number };
        clock.advance(line.ts - clock.nowMs());
        const headers: Record<string, string> = { 'x-api-key': `cc-${line.tenant}`, 'x-cachecast-session': line.session, 'x-cachecast-class': line.class };
        if (line.output_tokens !== undefined) headers['x-cachecast-output-tokens'] = String(line.output_tokens);
        const response = await fetch(`http://127.0.0.1:${port}${ROUTES[wire]}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(line.body) });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
      // Rows are written when each response closes, a tick after the client has its answer.
      for (let i = 0; i < 400 && app.mock.totals.totals().ok < 120; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      const live = app.mock.totals.totals();
      expect(replayed.totals.requests).toBe(120);
      expect(replayed.totals.cacheReadTokens).toBeGreaterThan(0);
      expect(replayed.totals).toEqual(live);
    } finally {
      await app.close();
    }
  });
});
