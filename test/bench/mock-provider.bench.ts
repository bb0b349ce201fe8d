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
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types; this is the one call used.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const DURATION_S = 5;
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

const measure = async (app: FastifyInstance, headers: Record<string, string>): Promise<AutocannonResult> => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const options = { url: `http://127.0.0.1:${port}/v1/messages`, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, connections: CONNECTIONS, workers: 1 };
  await autocannon({ ...options, duration: WARMUP_S });
  const result = await autocannon({ ...options, duration: DURATION_S });
  await app.close();
  return result;
};

const line = (name: string, r: AutocannonResult): string =>
  `${name.padEnd(14)} ${Math.round(r.requests.average).toLocaleString('en-US').padStart(8)} req/s   p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;

export async function benchMockProvider(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-bench-'));
  try {
    const mock = await buildMockProvider({ config, timeScale: 1_000, ledgerPath: join(dir, 'ledger.ndjson') });
    // One request first, so the measured traffic reads the cache instead of writing it.
    await mock.inject({ method: 'POST', url: '/v1/messages', headers: { 'content-type': 'application/json', 'x-api-key': 'cc-bench' }, payload: body });
    const mockResult = await measure(mock, { 'x-api-key': 'cc-bench' });
    const totals = mock.mock.totals.totals();
    const bareResult = await measure(bareRoute(), {});
    const ratio = mockResult.requests.average / bareResult.requests.average;
    console.log(`8k-token cached prompt, non-streaming, ${CONNECTIONS} connections, ${DURATION_S} s each on 127.0.0.1`);
    console.log(line('mock provider', mockResult));
    console.log(line('bare fastify', bareResult));
    console.log(`ratio          ${(ratio * 100).toFixed(1)} % (target ≥ ${TARGET_RATIO * 100} %) ${ratio >= TARGET_RATIO ? 'PASS' : 'BELOW TARGET'}`);
    console.log(`mock hit rate  ${(totals.hitRate * 100).toFixed(1)} % of prompt tokens read from the cache over ${totals.requests.toLocaleString('en-US')} requests`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
