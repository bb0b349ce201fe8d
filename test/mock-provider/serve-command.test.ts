import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { serveCommand } from '../../bin/cli/commands/serve.ts';
import type { CliIo } from '../../bin/cli/io.ts';
import { textOfTokens } from './helpers.ts';

const ioFor = (cwd: string) => {
  const printed = { out: '', err: '' };
  const io: CliIo = { out: (t) => (printed.out += t), err: (t) => (printed.err += t), cwd, isTty: false };
  return { io, printed };
};

/** Starts `cachecast serve` in-process; returns once it prints its URLs. */
const serve = async (args: string[], cwd: string) => {
  const { io, printed } = ioFor(cwd);
  const stop = new AbortController();
  const command = serveCommand(io, stop.signal).exitOverride();
  const done = command.parseAsync(args, { from: 'user' });
  let failure: unknown;
  done.catch((error: unknown) => (failure = error));
  while (!printed.out.includes('listening on') && failure === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  if (failure !== undefined) throw failure;
  const origin = /listening on (\S+)/.exec(printed.out)?.[1] ?? '';
  return { origin, printed, stop: async () => (stop.abort(), done) };
};

const failureOf = async (args: string[]) => {
  const { io } = ioFor(tmpdir());
  return serveCommand(io).exitOverride().parseAsync(args, { from: 'user' }).then(
    () => undefined,
    (error: Error & { code?: string }) => error,
  );
};

describe('cachecast serve', () => {
  it('prints the base URLs for each SDK, serves them, and closes the ledger on stop', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachecast-serve-'));
    await writeFile(join(dir, 'overrides.json'), JSON.stringify({ caching: { ttlMs: { '5m': 120_000 } } }));
    const server = await serve(['--port', '0', '--ledger', 'ledger.ndjson', '--config', 'overrides.json', '--seed', 's1'], dir);
    expect(server.printed.out).toContain(`Anthropic SDK  baseURL ${server.origin}`);
    expect(server.printed.out).toContain(`OpenAI SDK     baseURL ${server.origin}/v1`);
    const client = new Anthropic({ apiKey: 'cc-acme', baseURL: server.origin, maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 5, system: textOfTokens(20), messages: [{ role: 'user', content: 'Hi.' }] });
    expect(message.usage.output_tokens).toBe(5);
    const config = await fetch(`${server.origin}/admin/config`).then((r) => r.json() as Promise<{ caching: { ttlMs: Record<string, number> } }>);
    expect(config.caching.ttlMs['5m']).toBe(120_000);
    await server.stop();
    const rows = (await readFile(join(dir, 'ledger.ndjson'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((r) => [r.tenant, r.status, r.scenario])).toEqual([['acme', 200, 'serve']]);
    expect(server.printed.err).toContain('stopped after 1 requests');
  });

  it('serves a scenario\'s provider under the scenario\'s name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachecast-serve-'));
    const server = await serve(['--port', '0', '--scenario', 'stampede'], dir);
    expect(server.printed.out).toContain('scenario stampede/');
    const summary = await fetch(`${server.origin}/admin/summary`).then((r) => r.json() as Promise<{ scenario: string; startIso: string }>);
    expect(summary.scenario).toBe('stampede');
    await server.stop();
  });

  it('refuses to bind beyond loopback without an admin token', async () => {
    const error = await failureOf(['--host', '0.0.0.0', '--port', '0']);
    expect(error?.code).toBe('CC_ERR_ADMIN_TOKEN_REQUIRED');
  });

  // Issue 16, item 11: --host [::1] (an IPv6 address as a URL writes it) gave getaddrinfo ENOTFOUND.
  it('binds --host [::1] as written in a URL', async () => {
    const server = await serve(['--port', '0', '--host', '[::1]'], tmpdir());
    expect(server.origin).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect((await fetch(`${server.origin}/v1/models`, { headers: { 'x-api-key': 'cc-acme' } })).status).toBe(200);
    await server.stop();
  });

  it('refuses an empty or short admin token before binding', async () => {
    const empty = await failureOf(['--host', '0.0.0.0', '--port', '0', '--admin-token', '']);
    expect([empty?.code, empty?.message]).toEqual([
      'CC_ERR_ADMIN_TOKEN_WEAK',
      '--admin-token: the admin token must be at least 16 characters (got 0); generate one with `openssl rand -hex 16`',
    ]);
    expect((await failureOf(['--port', '0', '--admin-token', 'abc']))?.code).toBe('CC_ERR_ADMIN_TOKEN_WEAK');
  });

  // Issue 16, item 6: a directory or a path in a missing directory started, answered 200s and wrote nothing.
  it('fails at start, before listening, when the ledger cannot be written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachecast-serve-'));
    const { io, printed } = ioFor(dir);
    const run = (ledger: string) =>
      serveCommand(io).exitOverride().parseAsync(['--port', '0', '--ledger', ledger], { from: 'user' }).then(
        () => undefined,
        (error: Error & { code?: string }) => error,
      );
    const directory = await run('.');
    expect([directory?.code, directory?.message]).toEqual([
      'CC_ERR_LEDGER_UNWRITABLE',
      `--ledger ${dir}: cannot write it: it is a directory; give a file path in an existing directory`,
    ]);
    const missing = await run('no/such/dir/ledger.ndjson');
    expect([missing?.code, missing?.message]).toEqual([
      'CC_ERR_LEDGER_UNWRITABLE',
      `--ledger ${join(dir, 'no/such/dir/ledger.ndjson')}: cannot write it: its directory does not exist; give a file path in an existing directory`,
    ]);
    expect(printed.out).not.toContain('listening');
  });

  it('names the port when it is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const error = await failureOf(['--port', String(port)]);
    blocker.close();
    expect(error?.code).toBe('CC_ERR_PORT_IN_USE');
    expect(error?.message).toContain(`port ${port}`);
  });

  it.each([
    [['--port', 'http'], '--port: expected an integer port from 0 to 65535, got "http"'],
    [['--time-scale', '0'], '--time-scale: expected a positive number, got "0"'],
    [['--profile', 'gemini'], '--profile: expected one of anthropic, openai, lru-blocks, got "gemini"'],
    [['--variant', 'x'], '--variant needs --scenario'],
  ])('rejects %j with a usage error naming the flag', async (args, message) => {
    const error = await failureOf(args.includes('--port') ? args : [...args, '--port', '0']);
    expect(error?.code).toBe('CC_ERR_USAGE');
    expect(error?.message).toBe(message);
  });

  it('names the field of a bad --config override, and reads null as unlimited', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachecast-serve-config-'));
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ faults: { latencySpikeRate: -0.1 } }));
    const { io } = ioFor(dir);
    const error = await serveCommand(io).exitOverride().parseAsync(['--port', '0', '--config', 'bad.json'], { from: 'user' }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(error?.code).toBe('CC_ERR_USAGE');
    expect(error?.message).toMatch(/^--config bad\.json: faults\.latencySpikeRate: /);
    // A config fetched from GET /admin/config writes unlimited values as null; it can be sent back.
    await writeFile(join(dir, 'fetched.json'), JSON.stringify({ routing: { overflowPerMinute: null } }));
    const server = await serve(['--port', '0', '--config', 'fetched.json'], dir);
    const config = await fetch(`${server.origin}/admin/config`).then((r) => r.json() as Promise<{ routing: { overflowPerMinute: unknown } }>);
    expect(config.routing.overflowPerMinute).toBeNull(); // Infinity, as JSON writes it
    const patched = await fetch(`${server.origin}/admin/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config) });
    expect(patched.status).toBe(200);
    // Unlimited, not 0: a request is routed home, not overflowed (null read as a number is 0).
    const answer = await fetch(`${server.origin}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'cc-acme' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'Hi.' }] }),
    });
    expect(answer.status).toBe(200);
    // The row is written when the response closes, a moment after the client has it.
    let requestRows: Array<{ affinity: string }> = [];
    for (let i = 0; i < 200 && requestRows.length === 0; i++) {
      const ledger = await fetch(`${server.origin}/admin/ledger`).then((r) => r.text());
      requestRows = ledger.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((row) => row.kind === 'request');
      if (requestRows.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(requestRows.map((row) => row.affinity)).toEqual(['home']);
    await server.stop();
  });
});
