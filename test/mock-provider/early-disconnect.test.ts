// Issue 16, item 7: clients that left before the first token got 200 rows with full output and
// cost. Now a 499 row billed by the rule in mock-provider/abandoned.ts: the whole prompt, and the
// output generated before the client left.

import { describe, expect, it } from 'vitest';
import { abandonedOutcome, tokensGeneratedBy } from '../../mock-provider/abandoned.ts';
import { buildMockProvider } from '../../mock-provider/app.ts';
import { createManualClock } from '../../mock-provider/clock.ts';
import { listenMockProvider } from '../../mock-provider/server.ts';
import type { RequestRow } from '../../core/ledger/row.ts';
import { PROFILES } from '../../core/model/index.ts';
import type { Outcome } from '../../core/model/types.ts';
import { configFor, textOfTokens } from './helpers.ts';

const PRICES = PROFILES.anthropic.models['claude-sonnet-4-6'].prices;

const outcome: Outcome = {
  status: 200,
  model: 'claude-sonnet-4-6',
  node: 0,
  affinity: 'home',
  usage: { inputTokens: 1_000, cacheReadTokens: 2_000, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 101 },
  costUsd: 0,
  ttftMs: 500,
  latencyMs: 1_500,
  retryAfterMs: 0,
  writeKey: 0,
};

describe('a client that leaves early', () => {
  it('is billed the prompt and the output generated before it left', () => {
    expect([0, 499, 500, 509, 510, 1_000, 1_499, 1_500, 9_999].map((ms) => tokensGeneratedBy(outcome, ms))).toEqual([0, 0, 1, 1, 2, 51, 100, 101, 101]);
    const beforeFirstToken = abandonedOutcome(outcome, 200, PRICES);
    expect(beforeFirstToken).toMatchObject({ status: 499, usage: { ...outcome.usage, outputTokens: 0 }, ttftMs: 0, latencyMs: 200 });
    // 1,000 input at $3/MTok and 2,000 cache reads at $0.30/MTok; no output.
    expect(beforeFirstToken.costUsd).toBeCloseTo(0.003 + 0.0006, 12);
    const halfway = abandonedOutcome(outcome, 1_000, PRICES);
    expect(halfway.usage.outputTokens).toBe(51);
    expect(halfway.costUsd).toBeCloseTo(0.003 + 0.0006 + (51 * 15) / 1e6, 12);
  });

  it('gets a 499 row, not a 200 with full output, through the server', async () => {
    const base = createManualClock();
    const held: Array<() => void> = [];
    const clock = { ...base, wait: () => new Promise<void>((resolve) => held.push(resolve)) };
    // A short drain deadline: closing cuts whatever connection the aborted clients left behind.
    const app = await buildMockProvider({ config: configFor('anthropic'), clock, outputTokens: () => 300, drainTimeoutMs: 100 });
    const urls = await listenMockProvider(app, '127.0.0.1', 0);
    const rows = (): RequestRow[] => app.mock.ledger.recent().filter((r): r is RequestRow => r.kind === 'request');
    const send = (key: string, stream: boolean, signal?: AbortSignal) =>
      fetch(`${urls.anthropic}/v1/messages`, {
        method: 'POST',
        signal,
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 300, stream, system: textOfTokens(2_000, key), messages: [{ role: 'user', content: 'Hi.' }] }),
      }).then((r) => r.text());
    const until = async (check: () => boolean) => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    try {
      // A completed twin gives the figures a full answer bills.
      const twin = send('cc-twin', false);
      await until(() => held.length === 1);
      held.splice(0).forEach((release) => release());
      await twin;
      await until(() => rows().length === 1);
      const [full] = rows();
      expect([full.status, full.outputTokens]).toEqual([200, 300]);

      // Leaves while the model is still before its first token, streaming and not.
      for (const [key, stream] of [['cc-quitter', false], ['cc-streamer', true]] as const) {
        const leave = new AbortController();
        const request = send(key, stream, leave.signal).catch(() => 'aborted');
        await until(() => held.length === 1);
        leave.abort();
        expect(await request).toBe('aborted');
        await until(() => rows().length === (key === 'cc-quitter' ? 2 : 3));
        held.splice(0).forEach((release) => release());
      }
      const [, quitter, streamer] = rows();
      for (const row of [quitter, streamer]) {
        expect(row).toMatchObject({ status: 499, outputTokens: 0, inputTokens: full.inputTokens, cacheWriteTokens: full.cacheWriteTokens });
        expect(row.costUsd).toBeCloseTo(full.costUsd - (300 * 15) / 1e6, 9);
      }
    } finally {
      held.splice(0).forEach((release) => release());
      await app.close();
    }
  });
});
