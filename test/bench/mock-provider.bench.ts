// The mock provider's throughput (issue 3): non-streaming Anthropic requests carrying an 8k-token
// prompt that hits the cache, against a bare fastify route that parses the same body and returns
// a fixed answer, in the same run, on 127.0.0.1, with autocannon in a worker thread. The target is
// the mock at ≥ 70 % of the bare route; figures and the ratio are printed, never asserted.
//
// What is measured is request handling (parse, validate, hash the prompt, the model, headers,
// the ledger row, metrics), not waiting: the profile's latency is made negligible and quotas are
// lifted, so no provider time is waited and no request is refused.

import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildMockProvider } from '../../mock-provider/app.ts';
import { mergeConfig, type ProviderConfig } from '../../simulator/model/config.ts';
import { PROFILES } from '../../simulator/model/index.ts';

interface AutocannonResult {
  requests: { total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types; this is the one call used.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// Five alternating one-second rounds per target: other load on the machine then weighs on both.
const ROUNDS = 5;
const ROUND_S = 1;
const WARMUP_S = 1;
const CONNECTIONS = 32;
const TARGET_RATIO = 0.7;

const PROMPT_TOKENS = 8_000;
const body = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 200,
  system: [{ type: 'text', text: 'You are a careful assistant. '.repeat(Math.ceil((PROMPT_TOKENS * 4) / 29)).slice(0, PROMPT_TOKENS * 4), cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: 'What is in the document?' }],
});

const config = mergeConfig<ProviderConfig>(structuredClone(PROFILES.anthropic), {
  latency: { baseMs: 0.001, prefillTokensPerSec: 1e12, cachedTokensPerSec: 1e12, decodeTokensPerSec: 1e12 },
  quotas: [{ name: 'requests-per-minute', dimension: 'requests', kind: 'token-bucket', limit: 1e15, windowMs: 60_000 }],
});

const bareRoute = (): FastifyInstance => {
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  const fixed = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'fixed answer' }], usage: { input_tokens: 1, output_tokens: 1 } };
  app.post('/v1/messages', async (request) => (typeof request.body === 'object' ? fixed : fixed));
  return app;
};

interface Target {
  name: string;
  app: FastifyInstance;
  headers: Record<string, string>;
  url?: string;
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  p99Ms: number;
}

const start = async (target: Target): Promise<void> => {
  await target.app.listen({ host: '127.0.0.1', port: 0 });
  target.url = `http://127.0.0.1:${(target.app.server.address() as AddressInfo).port}/v1/messages`;
};

const round = async (target: Target, seconds: number, counted: boolean): Promise<void> => {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body,
    connections: CONNECTIONS,
    workers: 1,
    duration: seconds,
  });
  if (!counted) return;
  target.requests += result.requests.total;
  target.seconds += seconds;
  target.non2xx += result.non2xx;
  target.errors += result.errors;
  target.p99Ms = Math.max(target.p99Ms, result.latency.p99);
};

const ratePerSec = (t: Target): number => t.requests / t.seconds;

const line = (t: Target): string =>
  `${t.name.padEnd(14)} ${Math.round(ratePerSec(t)).toLocaleString('en-US').padStart(8)} req/s   worst round p99 ${t.p99Ms} ms  non-2xx ${t.non2xx}  errors ${t.errors}`;

export async function benchMockProvider(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-bench-'));
  try {
    const mock = await buildMockProvider({ config, timeScale: 1_000, ledgerPath: join(dir, 'ledger.ndjson') });
    // One request first, so the measured traffic reads the cache instead of writing it.
    await mock.inject({ method: 'POST', url: '/v1/messages', headers: { 'content-type': 'application/json', 'x-api-key': 'cc-bench' }, payload: body });
    const target = (name: string, app: FastifyInstance, headers: Record<string, string>): Target =>
      ({ name, app, headers, requests: 0, seconds: 0, non2xx: 0, errors: 0, p99Ms: 0 });
    const mockTarget = target('mock provider', mock, { 'x-api-key': 'cc-bench' });
    const bareTarget = target('bare fastify', bareRoute(), {});
    for (const t of [mockTarget, bareTarget]) {
      await start(t);
      await round(t, WARMUP_S, false);
    }
    for (let i = 0; i < ROUNDS; i++) for (const t of [mockTarget, bareTarget]) await round(t, ROUND_S, true);
    const totals = mock.mock.totals.totals();
    await mock.close();
    await bareTarget.app.close();
    const ratio = ratePerSec(mockTarget) / ratePerSec(bareTarget);
    console.log(`8k-token cached prompt, non-streaming, ${CONNECTIONS} connections, ${ROUNDS} × ${ROUND_S} s per target, alternating, on 127.0.0.1`);
    console.log(line(mockTarget));
    console.log(line(bareTarget));
    console.log(`ratio          ${(ratio * 100).toFixed(1)} % (target ≥ ${TARGET_RATIO * 100} %) ${ratio >= TARGET_RATIO ? 'PASS' : 'BELOW TARGET'}`);
    console.log(`mock hit rate  ${(totals.hitRate * 100).toFixed(1)} % of prompt tokens read from the cache over ${totals.requests.toLocaleString('en-US')} requests`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
