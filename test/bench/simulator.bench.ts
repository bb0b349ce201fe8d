// The simulator's reference workload (issue 2): one hour of provider time, 100 organisations,
// Zipf-popular prefixes of 2k–50k tokens, 8 nodes. Prints simulated requests per wall-clock
// second with the ledger off and on, and peak memory; targets are printed, never asserted.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineScenario } from '../../scenarios/kit/format.ts';
import { indexedSegment, uniformInt, zipf } from '../../scenarios/kit/prompt.ts';
import { openLedger } from '../../core/ledger/writer.ts';
import { runScenario } from '../../simulator/run.ts';

const PREFIXES = 2_000;
const ORGS = Array.from({ length: 100 }, (_, i) => `org-${i}`);
const SESSIONS = Array.from({ length: 5_000 }, (_, i) => `s-${i}`);
const prefixRank = zipf(PREFIXES, 1.1);
const prefixTokens = Array.from({ length: PREFIXES }, (_, k) => 2_000 + ((k * 7_919) % 48_001));

export const referenceWorkload = (requestsPerSecond: number) =>
  defineScenario({
    name: 'bench-reference',
    description: 'one hour, 100 organisations, Zipf prefixes of 2k–50k tokens, 8 nodes',
    variants: { reference: 'the reference workload' },
    setup: () => ({
      provider: {
        profile: 'anthropic',
        overrides: {
          nodes: { count: 8, capacityTokens: 50_000_000, concurrency: 256 },
          quotas: [{ name: 'rpm', dimension: 'requests', kind: 'token-bucket', limit: 1e12, windowMs: 60_000 }],
        },
      },
      traffic: {
        load: {
          executor: 'constant-arrival-rate',
          rate: requestsPerSecond,
          timeUnit: '1s',
          duration: '1h',
          build: (i, _t, rng) => {
            const org = uniformInt(rng, 0, 99);
            const prefix = prefixRank(rng);
            return {
              tenant: ORGS[org],
              session: SESSIONS[i % SESSIONS.length],
              model: 'claude-sonnet-4-5-20250929',
              segments: [indexedSegment('bench:prefix', prefix, prefixTokens[prefix], '5m'), indexedSegment('bench:question', i, uniformInt(rng, 50, 500))],
              outputTokens: uniformInt(rng, 50, 400),
            };
          },
        },
      },
    }),
  });

const peakRss = { mb: 0 };
const sampleRss = () => {
  peakRss.mb = Math.max(peakRss.mb, process.memoryUsage().rss / 2 ** 20);
};

const measure = async (label: string, requests: number, withLedger: boolean) => {
  const scenario = referenceWorkload(requests / 3_600);
  const path = join(tmpdir(), `cachecast-bench-${process.pid}.ndjson`);
  const ledger = withLedger ? openLedger(path) : undefined;
  const started = performance.now();
  const summary = await runScenario({
    scenario,
    variant: 'reference',
    sink: ledger?.write,
    drain: ledger?.drain,
    onProgress: sampleRss,
  });
  await ledger?.close();
  const seconds = (performance.now() - started) / 1000;
  sampleRss();
  rmSync(path, { force: true });
  const rate = summary.totals.requests / seconds;
  console.log(
    `${label.padEnd(28)} ${summary.totals.requests.toLocaleString('en-US').padStart(11)} requests in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US').padStart(9)} req/s (hit rate ${(summary.totals.hitRate * 100).toFixed(1)} %)`,
  );
  return rate;
};

export const benchSimulator = async (): Promise<void> => {
  const requests = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
  console.log(`simulator, reference workload (${requests.toLocaleString('en-US')} requests; BENCH_REQUESTS=10000000 for the memory target)`);
  const off = await measure('ledger off', requests, false);
  const on = await measure('ledger on', requests, true);
  console.log(`  targets: ≥ 250,000 req/s ledger off (${(off / 250_000).toFixed(2)}×), ≥ 100,000 with ledger (${(on / 100_000).toFixed(2)}×)`);
  console.log(`  peak RSS ${peakRss.mb.toFixed(0)} MB (target < 500 MB at 10 million requests)`);
};
