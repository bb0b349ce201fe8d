// Replay and sweep speed (issue 14): the Mooncake conversation trace (12,031 requests, 288,500
// blocks) replayed on lru-blocks including reading the file (target < 1 s); a generated request
// log streamed through the wire translation (rate and peak RSS; target for 10 million lines
// < 500 MB); a sweep on one job and on two worker threads. Printed, never asserted.

import { createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROFILES } from '../../core/model/profiles/index.ts';
import { replayTrace } from '../../simulator/replay/replay.ts';
import { runSweep } from '../../simulator/sweep/sweep.ts';

const TRACES = resolve(import.meta.dirname, '../../../shared/traces/mooncake');
const CONVERSATION = join(TRACES, 'conversation_trace.jsonl');
const SYNTHETIC = join(TRACES, 'synthetic_trace.jsonl');

const median = (values: number[]): number => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

const timeReplay = async (profile: 'lru-blocks' | 'anthropic' | 'openai', runs: number): Promise<number[]> => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await replayTrace({ file: CONVERSATION, config: PROFILES[profile] });
    times.push(performance.now() - t0);
  }
  return times;
};

const writeLog = async (path: string, lines: number): Promise<void> => {
  const out = createWriteStream(path);
  const system = 'You are the support assistant of a large retailer. '.repeat(120);
  for (let i = 0; i < lines; i++) {
    const line = JSON.stringify({
      ts: 1_767_225_600_000 + i * 10,
      tenant: `org-${i % 50}`,
      session: `s-${i % 5_000}`,
      body: { model: 'claude-sonnet-4-5', max_tokens: 300, system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: `question ${i % 997}` }] },
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
};

export const benchReplay = async (): Promise<void> => {
  await timeReplay('lru-blocks', 1); // warm-up: module compilation and JIT
  const lru = await timeReplay('lru-blocks', 5);
  const ms = median(lru);
  console.log(`replay, Mooncake conversation trace on lru-blocks (12,031 requests, 288,500 blocks, file read included): median ${ms.toFixed(0)} ms of 5 (${lru.map((t) => t.toFixed(0)).join(', ')}); ${Math.round(12_031 / (ms / 1000)).toLocaleString('en-US')} requests/s; target < 1,000 ms: ${ms < 1000 ? 'met' : 'NOT met'}`);
  const anthropic = median(await timeReplay('anthropic', 3));
  console.log(`replay, the same trace on the anthropic profile (4 nodes, automatic breakpoint): median ${anthropic.toFixed(0)} ms of 3`);

  const lines = Number(process.env.CC_BENCH_LOG_LINES ?? 200_000);
  const log = join(tmpdir(), `cc-bench-log-${process.pid}.ndjson`);
  try {
    await writeLog(log, lines);
    let peakRss = process.memoryUsage().rss;
    const t0 = performance.now();
    const summary = await replayTrace({ file: log, config: PROFILES.anthropic, onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)) });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`request log, ${lines.toLocaleString('en-US')} lines streamed through core/wire and the model: ${seconds.toFixed(1)} s (${Math.round(summary.totals.requests / seconds).toLocaleString('en-US')} lines/s), peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (CC_BENCH_LOG_LINES=10000000 for the 10-million-line check; target < 500 MB)`);
  } finally {
    rmSync(log, { force: true });
  }

  const axes = [{ path: 'nodes.capacityTokens', values: [512_000, 2_560_000, 5_120_000, 51_200_000] }];
  for (const jobs of [1, 2]) {
    const t0 = performance.now();
    const result = await runSweep({ target: { kind: 'trace', file: SYNTHETIC, profile: 'lru-blocks', blockTokens: 512 }, name: 'synthetic', variant: 'lru-blocks', axes, baseSeed: 'bench', seeds: 2, jobs });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`sweep, Mooncake synthetic trace, 4 capacities × 2 seeds on ${jobs} job(s): ${result.rows.length} runs in ${seconds.toFixed(1)} s (${(seconds / result.rows.length).toFixed(2)} s a run)`);
  }
};
