// `npm run soak`: one `cachecast serve` process (a child, so its memory is its own) under what
// issue 16 found: an output-amplification flood, a tenant flood, ledger followers that never
// read, then minutes of mixed load and malformed requests, ended by SIGTERM while requests are in
// flight. Prints peak RSS per phase, errors, and ledger rows against the model requests sent.
// Not part of `npm test`: it takes minutes. Flags: --minutes <n> (5), --keys <n> (100000),
// --amplify <n> (300), --concurrency <n> (50), --seed <s>.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { Agent, request } from 'undici';
import { sendRaw } from '../mock-provider/raw-request.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    keys: { type: 'string', default: '100000' },
    amplify: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '50' },
    seed: { type: 'string', default: 'soak' },
  },
});
const MINUTES = Number(values.minutes);
const KEYS = Number(values.keys);
const AMPLIFY = Number(values.amplify);
const CONCURRENCY = Number(values.concurrency);
const rng = seedrandom(values.seed);
console.log(`soak: seed ${values.seed}, ${MINUTES} min mixed load, ${KEYS.toLocaleString('en-US')} keys, ${AMPLIFY} amplified requests, ${CONCURRENCY} connections`);

const TOKEN = 'soak-admin-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'cachecast-soak-'));
const ledgerPath = join(dir, 'ledger.ndjson');
const server = spawn(
  process.execPath,
  ['bin/cachecast', 'serve', '--port', '0', '--ledger', ledgerPath, '--admin-token', TOKEN, '--time-scale', '100000', '--drain-timeout', '5'],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
// Never leave the server behind, whatever happens to this process.
process.on('exit', () => server.kill('SIGKILL'));
let serverOut = '';
server.stdout.on('data', (chunk: Buffer) => (serverOut += chunk.toString()));
server.stderr.on('data', (chunk: Buffer) => (serverOut += chunk.toString()));
while (!/listening on (\S+)/.test(serverOut)) {
  if (server.exitCode !== null) throw new Error(`the server did not start:\n${serverOut}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const origin = /listening on (\S+)/.exec(serverOut)![1];
const { port } = new URL(origin);

// Peak resident memory of the server, sampled every 100 ms.
const rssMb = (): number => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};
let peakMb = 0;
const startMb = rssMb();
const sampler = setInterval(() => {
  try {
    peakMb = Math.max(peakMb, rssMb());
  } catch {
    // The server has exited.
  }
}, 100);

// A request with no answer in 20 s counts as hung (a fault), so a stuck request cannot stall the soak.
const dispatcher = new Agent({ connections: CONCURRENCY, pipelining: 1, headersTimeout: 20_000, bodyTimeout: 20_000 });
const hung = new Map<string, number>();
const hungSamples: string[] = [];
const statuses = new Map<number, number>();
let modelRequests = 0;
/** Model requests that got an HTTP answer, and those that reached the server but got none (aborted, cut). */
let modelAnswered = 0;
let modelUnanswered = 0;
let refused = 0;
let clientAborts = 0;
let connectionErrors = 0;
let unexpected5xx = 0;

interface Sent {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Counts toward the ledger: a model route reached with a parsable request line. */
  model: boolean;
  abortAfterMs?: number;
  /** What the request is, for the hung-request count. */
  kind?: string;
}

const send = async (sent: Sent): Promise<void> => {
  if (sent.model) modelRequests++;
  const controller = new AbortController();
  const timer = sent.abortAfterMs === undefined ? undefined : setTimeout(() => controller.abort(), sent.abortAfterMs);
  try {
    const response = await request(`${origin}${sent.path}`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', ...sent.headers },
      body: sent.body,
      signal: controller.signal,
    });
    await response.body.text();
    if (sent.model) modelAnswered++;
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    // 529 (Anthropic overload) and 503 (OpenAI's, or draining) are the provider's; any other 5xx is a fault.
    if (response.statusCode >= 500 && response.statusCode !== 529 && response.statusCode !== 503) unexpected5xx++;
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    // Refused: the server had exited; the request never reached it.
    if (code === 'ECONNREFUSED') {
      refused++;
      if (sent.model) modelRequests--;
      return;
    }
    if (sent.model) modelUnanswered++;
    if (controller.signal.aborted) clientAborts++;
    else if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      hung.set(sent.kind ?? 'ok', (hung.get(sent.kind ?? 'ok') ?? 0) + 1);
      // What it was, to find out why: printed at the end.
      if (hungSamples.length < 3) hungSamples.push(`${code} ${sent.path} ${JSON.stringify(sent.headers)} ${sent.body.slice(0, 120)}`);
    }
    else connectionErrors++;
  } finally {
    clearTimeout(timer);
  }
};

// This process's own stalls: a slow answer measured here may be this loop's delay, not the server's.
const clientDelay = monitorEventLoopDelay({ resolution: 10 });
clientDelay.enable();

/** Runs `next` from `workers` loops until it returns undefined. */
const pool = async (workers: number, next: () => Sent | undefined): Promise<void> => {
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let sent = next(); sent !== undefined; sent = next()) await send(sent);
    }),
  );
};

const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const doc = (tokens: number, label: string) => `${label}: the quick brown fox jumps over the lazy dog. `.repeat(Math.ceil(tokens / 12));
const SYSTEMS = [doc(1_500, 'alpha'), doc(3_000, 'beta'), doc(8_000, 'gamma')];

const message = (key: string, extra: Record<string, unknown> = {}): Sent => ({
  path: '/v1/messages',
  headers: { 'x-api-key': key },
  body: JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 200,
    system: [{ type: 'text', text: pick(SYSTEMS), cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: `question ${Math.floor(rng() * 1e6)}` }],
    ...extra,
  }),
  model: true,
});

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

/** One request of the mixed phase: mostly ordinary traffic, a fifth malformed in one of the ways issue 16 lists. */
const mixed = (): Sent => {
  const tenant = `cc-tenant-${Math.floor(rng() * 20)}`;
  const roll = rng();
  if (roll < 0.55) return message(tenant);
  if (roll < 0.7) return { ...message(tenant, { stream: true }), kind: 'stream' };
  if (roll < 0.75) return { ...message(tenant, { stream: true }), abortAfterMs: Math.floor(rng() * 5), kind: 'abort' };
  const bad = Math.floor(rng() * 8);
  return { ...malformed(tenant, bad), kind: `malformed-${bad}` };
};

const malformed = (tenant: string, bad: number): Sent => {
  switch (bad) {
    case 0:
      return { path: '/v1/messages', headers: { 'x-api-key': tenant }, body: '{"model": "claude-sonnet-4-6", "max_tokens": ', model: true };
    case 1:
      return message(tenant, { tools: [{ name: 't', input_schema: nested(3_000) }] });
    case 2:
      return message(tenant, { max_tokens: -5 });
    case 3:
      return message(tenant, { max_tokens: 10_000_000 });
    case 4:
      return { ...message(tenant), headers: { 'x-api-key': tenant, 'x-cachecast-output-tokens': '1900000' } };
    case 5:
      return message('cc-org-00c0ffee');
    case 6:
      return { path: '/v1/nowhere', headers: { 'x-api-key': tenant }, body: '{}', model: false };
    default:
      return { ...message(tenant), body: JSON.stringify({ model: 7, messages: 'no', __proto__: { polluted: true } }) };
  }
};

/**
 * Raw HTTP that the parser refuses, read to the server's close (test/mock-provider/raw-request.ts).
 * The soak used to leave these sockets unread, so their answers sat in the buffer and each was
 * counted as unanswered after 10 s; the server had answered at once.
 */
let garbageHung = 0;
const garbageMs: number[] = [];
const garbage = async (): Promise<void> => {
  const started = performance.now();
  const text = pick(['GARBAGE\r\n\r\n', `GET / HTTP/1.1\r\nx: ${'a'.repeat(20_000)}\r\n\r\n`, 'POST /v1/messages HTTP/1.1\r\ncontent-length: nope\r\n\r\n']);
  const answer = await sendRaw(Number(port), text, { end: true, giveUpMs: 10_000 });
  if (!answer.closed || !/^HTTP\/1\.1 4\d\d /.test(answer.response)) garbageHung++;
  else garbageMs.push(performance.now() - started);
};

const phase = async (name: string, run: () => Promise<void>): Promise<void> => {
  peakMb = rssMb();
  const started = performance.now();
  await run();
  console.log(`  ${name.padEnd(34)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s   peak RSS ${peakMb.toFixed(0).padStart(5)} MB   now ${rssMb().toFixed(0)} MB`);
};

console.log(`  server started                               RSS ${startMb.toFixed(0).padStart(5)} MB`);
let overallPeak = startMb;
const track = () => (overallPeak = Math.max(overallPeak, peakMb));

await phase(`amplification (${AMPLIFY} fresh keys)`, async () => {
  let i = 0;
  await pool(Math.min(CONCURRENCY, 10), () =>
    i >= AMPLIFY ? undefined : { ...message(`sk-amplify-${i++}`, { max_tokens: 64_000 }), headers: { 'x-api-key': `sk-amplify-${i}`, 'x-cachecast-output-tokens': '1900000' } },
  );
});
track();

// Five followers that never read, for the rest of the soak.
const stalled: Socket[] = Array.from({ length: 5 }, () => {
  const socket = connect(Number(port), '127.0.0.1');
  socket.pause();
  socket.on('error', () => undefined);
  socket.write(`GET /admin/ledger?follow=true HTTP/1.1\r\nhost: soak\r\nauthorization: Bearer ${TOKEN}\r\n\r\n`);
  return socket;
});

await phase(`tenant flood (${KEYS.toLocaleString('en-US')} keys)`, async () => {
  let i = 0;
  await pool(CONCURRENCY, () => (i >= KEYS ? undefined : message(`sk-flood-${i++}`)));
});
track();
const scrapeStarted = performance.now();
const scrape = await request(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.body.text());
console.log(`  /metrics after the flood: ${(scrape.length / 1024).toFixed(0)} kB in ${(performance.now() - scrapeStarted).toFixed(0)} ms; ${/cachecast_ledger_followers_dropped (\d+)/.exec(scrape)?.[1] ?? '?'} stalled followers dropped`);

let garbageSent = 0;
await phase(`mixed load + fuzz (${MINUTES} min)`, async () => {
  const until = performance.now() + MINUTES * 60_000;
  const fuzz = (async () => {
    while (performance.now() < until) {
      await garbage();
      garbageSent++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const progress = setInterval(() => process.stderr.write(`    … ${modelRequests.toLocaleString('en-US')} model requests sent, RSS ${rssMb().toFixed(0)} MB\n`), 15_000);
  await pool(CONCURRENCY, () => (performance.now() < until ? mixed() : undefined));
  await fuzz;
  clearInterval(progress);
});
track();

// SIGTERM with requests in flight: every one must still become a row.
let stopped = false;
const inFlight = pool(CONCURRENCY, () => (stopped ? undefined : message(`cc-tenant-${Math.floor(rng() * 20)}`, { stream: rng() < 0.5 })));
await new Promise((resolve) => setTimeout(resolve, 2_000));
const killedAt = performance.now();
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
// Taken here: what follows (the clients' own wrap-up) took seconds at 1 M requests and is not the server's.
const exitedAfterS = (performance.now() - killedAt) / 1000;
stopped = true;
await inFlight;
clearInterval(sampler);
for (const socket of stalled) socket.destroy();
await dispatcher.close();
track();

const lines = readFileSync(ledgerPath, 'utf8').split('\n').filter((line) => line !== '');
const rows = lines.map((line) => JSON.parse(line) as { kind: string; status?: number }).filter((row) => row.kind === 'request');
const byStatus = new Map<number, number>();
for (const row of rows) byStatus.set(row.status!, (byStatus.get(row.status!) ?? 0) + 1);
const quantiles = (ms: number[]): string => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return `median ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`;
};
const list = (m: Map<number, number>) => [...m].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n.toLocaleString('en-US')}`).join(', ');
console.log(`  SIGTERM under load: exited after ${exitedAfterS.toFixed(2)} s (drain deadline 5 s)`);
console.log(`\npeak RSS ${overallPeak.toFixed(0)} MB (start ${startMb.toFixed(0)} MB)`);
console.log(`responses by status: ${list(statuses)}`);
console.log(`hung (no answer in 20 s): ${[...hung].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; unparsable requests unanswered in 10 s: ${garbageHung} (answered in ${quantiles(garbageMs)})`);
console.log(`this soak process's event loop: longest stall ${(clientDelay.max / 1e6).toFixed(0)} ms, p99 ${(clientDelay.percentile(99) / 1e6).toFixed(0)} ms (answer times above include it)`);
for (const sample of hungSamples) console.log(`  hung: ${sample}`);
console.log(`errors: ${unexpected5xx} unrequested 5xx, ${connectionErrors} connections cut (at shutdown), ${clientAborts} client aborts, ${garbageSent} unparsable requests sent`);
console.log(`ledger rows by status: ${list(byStatus)}`);
// Every answered model request has its row; an aborted or cut one has a row if it reached a
// route (an abort before the request was written never did), so rows fall between the two.
const accounted = rows.length >= modelAnswered && rows.length <= modelAnswered + modelUnanswered;
console.log(
  `ledger rows ${rows.length.toLocaleString('en-US')} vs model responses ${modelAnswered.toLocaleString('en-US')} + ` +
    `${modelUnanswered.toLocaleString('en-US')} aborted or cut (${refused.toLocaleString('en-US')} more refused after exit): ${accounted ? 'every response has its row' : 'ROWS MISSING'}`,
);
process.exitCode = unexpected5xx === 0 && hung.size === 0 && accounted ? 0 : 1;
