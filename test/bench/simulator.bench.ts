// The simulator's reference workload (issue 2): one hour of provider time, 100 organisations,
// Zipf-popular prefixes of 2k–50k tokens, 8 nodes. Prints simulated requests per wall-clock
// second with the ledger off and on, the full model's time per request against a bare block-LRU
// over the same requests (block-lru.ts: a ratio that holds on any machine), and the peak RSS of a
// 10-million-request run in a child process of its own. Targets are printed, never asserted.

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineScenario } from '../../scenarios/kit/format.ts';
import { indexedSegment, uniformInt, zipf } from '../../scenarios/kit/prompt.ts';
import { openLedger } from '../../core/ledger/writer.ts';
import { runScenario } from '../../simulator/run.ts';
import { compareWithBlockLru, precomputeRequests } from './block-lru.ts';

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

const TARGETS = { ledgerOffPerSec: 600_000, ledgerOnPerSec: 250_000, peakRssMb: 300, modelOverLru: 3 };

const measure = async (label: string, requests: number, withLedger: boolean) => {
  const scenario = referenceWorkload(requests / 3_600);
  const path = join(tmpdir(), `cachecast-bench-${process.pid}.ndjson`);
  // As `cachecast run` writes it (blocking writes).
  const ledger = withLedger ? openLedger(path, { blocking: true }) : undefined;
  const started = performance.now();
  const summary = await runScenario({ scenario, variant: 'reference', sink: ledger?.write, drain: ledger?.drain });
  await ledger?.close();
  const seconds = (performance.now() - started) / 1000;
  rmSync(path, { force: true });
  const rate = summary.totals.requests / seconds;
  console.log(
    `${label.padEnd(28)} ${summary.totals.requests.toLocaleString('en-US').padStart(11)} requests in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US').padStart(9)} req/s (hit rate ${(summary.totals.hitRate * 100).toFixed(1)} %)`,
  );
  return rate;
};

/**
 * The model against the bare block-LRU over the same `count` requests, taking turns in chunks;
 * three passes, each from fresh state, keeping each one's fastest (the first also warms the JIT).
 */
const modelOverLru = (count: number): number => {
  const scenario = referenceWorkload(1_000_000 / 3_600);
  const stream = precomputeRequests(scenario, 'reference', count);
  // One pool the size of the model's 8 nodes together.
  const capacityTokens = 8 * 50_000_000;
  let model = Number.POSITIVE_INFINITY;
  let lru = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 3; pass++) {
    const run = compareWithBlockLru(scenario, 'reference', stream, capacityTokens);
    model = Math.min(model, run.modelSeconds);
    lru = Math.min(lru, run.lruSeconds);
  }
  const n = stream.requests.length;
  const ratio = model / lru;
  console.log(
    `model vs bare block-LRU       ${n.toLocaleString('en-US').padStart(11)} requests: model ${((model / n) * 1e9).toFixed(0)} ns/request, LRU ${((lru / n) * 1e9).toFixed(0)} ns/request = ${ratio.toFixed(2)}×`,
  );
  return ratio;
};

/** A run in a child process of its own, so its peak RSS is the run's alone; undefined when it fails. */
const peakRssRun = (requests: number, withLedger: boolean): { rate: number; peakRssMb: number } | undefined => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'simulator-rss.ts'), String(requests), withLedger ? 'ledger' : 'no-ledger'], {
    cwd: join(import.meta.dirname, '..', '..'),
    encoding: 'utf8',
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as { rate: number; peakRssMb: number };
  } catch {
    console.log(`  the ${requests.toLocaleString('en-US')}-request run failed: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return undefined;
  }
};

export const benchSimulator = async (): Promise<void> => {
  const requests = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
  const rssRequests = Number(process.env.BENCH_RSS_REQUESTS ?? 10_000_000);
  console.log(`simulator, reference workload (${requests.toLocaleString('en-US')} requests; BENCH_REQUESTS sets it, BENCH_RSS_REQUESTS=0 skips the memory run)`);
  const off = await measure('ledger off', requests, false);
  const on = await measure('ledger on', requests, true);
  const ratio = modelOverLru(250_000);
  const times = (x: number) => `${x.toFixed(2)}×`;
  // The 10M run is a fresh process too; its first ~40,000 requests (JIT warm-up, 0.25–0.4 s) are
  // a fifth of a 1M run's time and a fiftieth of its own, so the two rates bracket a short
  // rehearsal and a capacity-planning run.
  let long: { rate: number; peakRssMb: number } | undefined;
  if (rssRequests > 0) {
    // Without the ledger by default: with it, 10M requests write 3.3 GB and take minutes on a busy disk.
    const withLedger = process.env.BENCH_RSS_LEDGER === '1';
    long = peakRssRun(rssRequests, withLedger);
    if (long !== undefined) {
      console.log(
        `${`ledger ${withLedger ? 'on' : 'off'}, own process`.padEnd(28)} ${rssRequests.toLocaleString('en-US').padStart(11)} requests          = ${Math.round(long.rate).toLocaleString('en-US').padStart(9)} req/s, peak RSS ${long.peakRssMb.toFixed(0)} MB${withLedger ? '' : ' (BENCH_RSS_LEDGER=1 writes the ledger)'}`,
      );
    }
  }
  const longOff = long !== undefined && process.env.BENCH_RSS_LEDGER !== '1' ? `, ${times(long.rate / TARGETS.ledgerOffPerSec)} at ${rssRequests.toLocaleString('en-US')}` : '';
  console.log(`  targets: ≥ ${TARGETS.ledgerOffPerSec.toLocaleString('en-US')} req/s ledger off (${times(off / TARGETS.ledgerOffPerSec)} at ${requests.toLocaleString('en-US')}${longOff}), ≥ ${TARGETS.ledgerOnPerSec.toLocaleString('en-US')} with ledger (${times(on / TARGETS.ledgerOnPerSec)})`);
  console.log(`  model vs bare block-LRU ${times(ratio)} (target ≤ ${TARGETS.modelOverLru}×: ${times(TARGETS.modelOverLru / ratio)} of the target)`);
  if (long !== undefined) console.log(`  peak RSS ${long.peakRssMb.toFixed(0)} MB at ${rssRequests.toLocaleString('en-US')} requests (target < ${TARGETS.peakRssMb} MB: ${times(TARGETS.peakRssMb / long.peakRssMb)})`);
};
