import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
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

  // Issue 16, item 8: requests still open at SIGTERM held the server for minutes, and refusals
  // while draining were fastify's 503 with no ledger row.
  it('cuts what is still open at the drain deadline and writes a 499 row for each', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachecast-shutdown-'));
    const ledgerPath = join(dir, 'ledger.ndjson');
    const clock = gatedClock();
    const app = await buildMockProvider({ config: configFor('anthropic'), clock, ledgerPath, drainTimeoutMs: 50 });
    const urls = await listenMockProvider(app, '127.0.0.1', 0);
    const stuck = Array.from({ length: 6 }, (_, i) =>
      fetch(`${urls.anthropic}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': `cc-s${i}` },
        body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, stream: i % 2 === 0, messages: [{ role: 'user', content: 'Hi.' }] }),
      }).then(
        (r) => r.text().then(() => 'answered', () => 'cut'),
        () => 'cut',
      ),
    );
    while (clock.held.length < 6) await new Promise((resolve) => setTimeout(resolve, 5));
    // The waits are never released: only the deadline can end these requests.
    await app.close();
    expect(await Promise.all(stuck)).toEqual(Array(6).fill('cut'));
    const rows = (await readFile(ledgerPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((r) => r.status)).toEqual(Array(6).fill(499));
    expect(rows.map((r) => r.tenant).sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
  });

  it('refuses a request that arrives while draining in the wire\'s overload shape, with its row', async () => {
    const clock = gatedClock();
    const app = await buildMockProvider({ config: configFor('anthropic'), clock });
    const urls = await listenMockProvider(app, '127.0.0.1', 0);
    const { port } = new URL(urls.origin);
    const body = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'Hi.' }] });
    const request = `POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-api-key: cc-late\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    // One connection: the first request is in flight when closing starts, the second is pipelined behind it.
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.write(request);
    while (clock.held.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const closed = app.close();
    socket.write(request);
    // The refusal is queued behind the first answer (HTTP/1.1 answers in order): wait until it is taken in.
    while (app.mock.ledger.inFlight() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    clock.held.splice(0).forEach((release) => release());
    await closed;
    await ended;
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 529]);
    const refusal = JSON.parse(received.slice(received.lastIndexOf('\r\n\r\n') + 4));
    expect(refusal).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded: the server is shutting down' } });
    expect(app.mock.ledger.recent().map((r) => (r.kind === 'request' ? [r.tenant, r.status] : []))).toEqual([
      ['late', 200],
      ['late', 529],
    ]);
  });
});
