import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMockProvider } from '../../mock-provider/app.ts';
import { createManualClock } from '../../mock-provider/clock.ts';
import { closeOnSignals, listenMockProvider } from '../../mock-provider/server.ts';
import { configFor, textOfTokens } from './helpers.ts';

/** A clock whose waits hold until released, so requests stay in flight as long as the test wants. */
const gatedClock = () => {
  const clock = createManualClock();
  const held: Array<() => void> = [];
  return { ...clock, held, wait: () => new Promise<void>((resolve) => held.push(resolve)) };
};

describe('graceful shutdown', () => {
  it('finishes requests in flight and loses no ledger row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachecast-shutdown-'));
    const ledgerPath = join(dir, 'ledger.ndjson');
    const clock = gatedClock();
    const app = await buildMockProvider({ config: configFor('anthropic'), clock, ledgerPath });
    const urls = await listenMockProvider(app, '127.0.0.1', 0);
    const body = (stream: boolean) =>
      JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, stream, system: textOfTokens(50), messages: [{ role: 'user', content: 'Hi.' }] });
    const inFlight = Array.from({ length: 8 }, (_, i) =>
      fetch(`${urls.anthropic}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': `cc-t${i}` },
        body: body(i % 2 === 0),
      }).then(async (response) => ({ status: response.status, text: await response.text() })),
    );
    // Every request has reached the model and is waiting out its latency.
    while (clock.held.length < 8) await new Promise((resolve) => setTimeout(resolve, 5));
    const stop = new AbortController();
    const closed = closeOnSignals(app, [], stop.signal);
    stop.abort();
    // Closing does not cut requests short: release their waits one by one (streams wait per chunk).
    const releaser = setInterval(() => clock.held.splice(0).forEach((release) => release()), 2);
    const answers = await Promise.all(inFlight);
    await closed;
    clearInterval(releaser);
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((_, i) => i % 2 === 0).every((a) => a.text.includes('event: message_stop'))).toBe(true);
    const rows = (await readFile(ledgerPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => r.tenant).sort()).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
    expect(rows.every((r) => r.status === 200)).toBe(true);
    await expect(fetch(`${urls.anthropic}/v1/messages`, { method: 'POST', body: body(false) })).rejects.toThrow();
  });
});
