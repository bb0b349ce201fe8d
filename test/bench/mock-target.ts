// One target of the mock-provider bench, alone in a process of its own (mock-provider.bench.ts
// forks one per target): the mock provider, or a bare fastify route to hold it against.
//
// Why a process each: run side by side in one process, six fastify apps share one heap and one
// JIT. Each app's garbage was collected on the others' time, and fastify's own functions, called
// with six apps' differently shaped requests, replies and hooks, lost the specialised code V8
// gives a function that sees one shape. The mock, with the most code and the most varied shapes,
// lost the most: 130–218 µs of CPU a request in one process against 102 µs alone, while the bare
// routes moved by a few µs. A user's `cachecast serve` runs alone; so does each target here.
//
// The parent speaks over the fork's IPC channel: this process sends `{ port }` once it listens,
// and answers `cpu` with `{ cpuUs }` (its user + system CPU so far, every thread) and `totals`
// with `{ hitRate, requests }` (the mock's). `close` closes the app and exits.

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildMockProvider } from '../../mock-provider/app.ts';
import { cachedPromptBody, unlimitedAnthropic } from './cached-prompt.ts';

export type TargetKind = 'mock' | 'bare-defaults' | 'bare-parser' | 'bare-answer' | 'bare-stream';

/** What a target process is given: its kind, and what it needs to build it (a JSON file). */
export interface TargetSpec {
  kind: TargetKind;
  /** mock: where its ledger goes. */
  ledgerPath?: string;
  /** bare-answer: the mock's answer and headers, as the mock sent them. */
  payload?: string;
  headers?: Record<string, string>;
  /** bare-stream: the mock's server-sent events, one write each. */
  events?: string[];
}

export type TargetMessage = { port: number } | { cpuUs: number } | { hitRate: number; requests: number };

/** The profile's latency made negligible and its quotas lifted: the bench measures handling, not waiting. */
export const BENCH_CONFIG = unlimitedAnthropic({
  latency: { baseMs: 0.001, prefillTokensPerSec: 1e12, cachedTokensPerSec: 1e12, decodeTokensPerSec: 1e12 },
});
export const BENCH_KEY = 'cc-bench';

/** The bare routes' fixed answer (0.3 kB), here and in the 1,000-VU bench's baseline. */
export const FIXED_ANSWER = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'fixed answer' }], usage: { input_tokens: 1, output_tokens: 1 } };

/**
 * A bare app parsing bodies as fastify ships (the prototype-poisoning scan on) or as the mock does
 * (off: the providers' behaviour, see mock-provider/app.ts).
 */
export const bareApp = (scanForPoisoning: boolean): FastifyInstance => {
  const action = scanForPoisoning ? 'error' : 'ignore';
  return Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, onProtoPoisoning: action, onConstructorPoisoning: action });
};

/** A bare route answering FIXED_ANSWER. */
const bareRoute = (scanForPoisoning: boolean): FastifyInstance => {
  const app = bareApp(scanForPoisoning);
  app.post('/v1/messages', async () => FIXED_ANSWER);
  return app;
};

/**
 * A bare route with the mock's parser settings that answers with the mock's own answer: the same
 * body bytes and headers (taken from one mock answer). Against it the ratio is what the mock's code
 * costs; against `bareRoute` it also counts writing a real answer (1.2 kB and more headers, where
 * the bare route's fixed answer is 0.3 kB).
 */
const bareSameAnswerRoute = (payload: string, headers: Record<string, string>): FastifyInstance => {
  const app = bareApp(false);
  app.post('/v1/messages', (_request, reply) => {
    reply.headers(headers).send(payload);
  });
  return app;
};

/**
 * A bare route that streams what the mock streams for the same prompt: the same bytes, one write
 * per server-sent event (`events`, taken from one mock answer), with the mock's parser settings.
 */
const bareStreamRoute = (events: readonly string[]): FastifyInstance => {
  const app = bareApp(false);
  app.post('/v1/messages', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    for (const event of events) reply.raw.write(event);
    reply.raw.end();
  });
  return app;
};

const buildTarget = async (spec: TargetSpec): Promise<FastifyInstance> => {
  switch (spec.kind) {
    case 'mock': {
      const mock = await buildMockProvider({ config: BENCH_CONFIG, timeScale: 1_000, ledgerPath: spec.ledgerPath });
      // One request first, so the measured traffic reads the cache instead of writing it.
      await mock.inject({ method: 'POST', url: '/v1/messages', headers: { 'content-type': 'application/json', 'x-api-key': BENCH_KEY }, payload: cachedPromptBody(200) });
      return mock;
    }
    case 'bare-defaults':
      return bareRoute(true);
    case 'bare-parser':
      return bareRoute(false);
    case 'bare-answer':
      return bareSameAnswerRoute(spec.payload ?? '', spec.headers ?? {});
    case 'bare-stream':
      return bareStreamRoute(spec.events ?? []);
  }
};

const main = async (): Promise<void> => {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('mock-target.ts runs as a child of mock-provider.bench.ts (fork), with an IPC channel');
  const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as TargetSpec;
  const app = await buildTarget(spec);
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ cpuUs: user + system } satisfies TargetMessage);
    } else if (message === 'totals') {
      const totals = spec.kind === 'mock' ? app.mock.totals.totals() : { hitRate: 0, requests: 0 };
      send({ hitRate: totals.hitRate, requests: totals.requests } satisfies TargetMessage);
    } else if (message === 'close') {
      void app.close().then(() => process.exit(0));
    }
  });
  send({ port: (app.server.address() as AddressInfo).port } satisfies TargetMessage);
};

// Run as the forked child, not when the bench imports the kinds and the config from here.
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
