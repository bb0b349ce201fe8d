// `cachecast doctor --jobs n`: the log's tenants split across n shards (shard-worker.ts), the main
// thread's and n - 1 worker threads', each reading the file itself; the main thread makes the shards' calls on one set of totals and
// one finding book in file order (shard-ops.ts), so the report is the one a single thread gives.
//
// Doctor's analysis of a request looks only at its own tenant's state, and the profiles' caches
// are per organisation (provider-facts §1.2, §2.6), but a few things are shared across tenants.
// Running tenants apart gives exactly the serial report while none of them binds, which the
// shards' witnesses show (diagnose.ts ShardWitness); when one could have, the parallel result is
// dropped and the log is read again on one thread (`onFallback` says why):
// - a cache scope shared by all tenants (the lru-blocks profile): never sharded;
// - doctor's LRUs (256 tenants' recent requests, 512 sessions, 100,000 anchors and TTL prefixes,
//   10,000 serialisation verdicts): the shards' key counts must sum within each cap;
// - the model's nodes: no eviction, and the shards' peak tokens per node must sum within half the
//   node's capacity (the two paths sweep expired entries at different times); the shards' peak
//   busy slots per node must sum within its concurrency (a queue would delay when a write can be read);
// - the shared random stream: drawn from by one shard at most (its draws are then the serial ones).

import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DoctorReport } from '../../core/ledger/doctor-report.ts';
import { CachecastError, type ErrorCode } from '../../core/errors.ts';
import { createDoctorTotals, DOCTOR_CAPS, doctorConfig, type ShardWitness } from './diagnose.ts';
import { diagnoseFileSerial, type DoctorFileOptions } from './diagnose-file.ts';
import { replayOp, type ShardMessage, type ShardOp, type ShardStart } from './shard-ops.ts';
import { runShard } from './shard-worker.ts';
import { MAX_PREFIXES, type PrefixEconomics } from './ttl-economics.ts';
import type { ProviderConfig } from '../../core/model/index.ts';

// The worker is bundled with esbuild into one module (js-tiktoken, loaded only for --tokenizer
// exact, imported from where it is installed): started from the TypeScript sources it registers
// tsx and compiles them, ~0.9 s of CPU a worker on this machine, more than the whole serial run
// of the bench's 120 MB log. Without esbuild, the sources (shard-worker.mjs).
const TSX_WORKER_URL = new URL('./shard-worker.mjs', import.meta.url);
let bundled: Promise<URL> | undefined;
const workerUrl = (): Promise<URL> =>
  (bundled ??= (async () => {
    try {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [fileURLToPath(new URL('./shard-worker.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        write: false,
        logLevel: 'silent',
        plugins: [
          {
            name: 'installed-js-tiktoken',
            setup: (b) => b.onResolve({ filter: /^js-tiktoken/ }, (args) => ({ path: import.meta.resolve(args.path), external: true })),
          },
        ],
      });
      return new URL(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
    } catch {
      return TSX_WORKER_URL;
    }
  })());

export interface ParallelOptions extends DoctorFileOptions {
  jobs: number;
  /** Told why the parallel result was dropped for a single thread's. */
  onFallback?: (reason: string) => void;
}

/** Why running the shards apart may differ from one doctor, or undefined when it cannot. */
export const inexactness = (witnesses: ShardWitness[], logTenants: number, config: ProviderConfig): string | undefined => {
  const sum = (pick: (w: ShardWitness) => number): number => witnesses.reduce((total, w) => total + pick(w), 0);
  if (logTenants > DOCTOR_CAPS.tenants) return `the log names more than ${DOCTOR_CAPS.tenants} tenants (doctor keeps recent requests for that many)`;
  const caps: Array<[string, number, number]> = [
    ['tenants', sum((w) => w.tenants), DOCTOR_CAPS.tenants],
    ['sessions', sum((w) => w.sessions), DOCTOR_CAPS.sessions],
    ['stable prefixes', sum((w) => w.anchors), DOCTOR_CAPS.anchors],
    ['TTL prefixes', sum((w) => w.prefixes), MAX_PREFIXES],
    ['serialisation verdicts', sum((w) => w.verdicts), DOCTOR_CAPS.verdicts],
  ];
  for (const [what, n, cap] of caps) if (n > cap) return `more than ${cap.toLocaleString('en-US')} ${what} (doctor keeps that many across tenants)`;
  if (sum((w) => w.evictions) > 0) return 'the model evicted cache entries (eviction pressure is shared by tenants)';
  // Draws by one shard alone are the serial path's draws in the same order.
  if (witnesses.filter((w) => w.draws > 0).length > 1) return 'requests of more than one shard drew from the random stream (one stream shared by tenants)';
  for (let n = 0; n < config.nodes.count; n++) {
    if (sum((w) => w.peakTokens[n]) > config.nodes.capacityTokens / 2) return `node ${n}'s cache came near its capacity (shared by tenants)`;
    if (sum((w) => w.peakBusy[n]) > config.nodes.concurrency) return `node ${n}'s slots could have queued requests (shared by tenants)`;
  }
  return undefined;
};

/** The shards' ops in file order: a queue per shard, drained up to the line every shard has passed. */
const createMerge = (shards: number, apply: (op: ShardOp) => void) => {
  const queues: ShardOp[][] = Array.from({ length: shards }, () => []);
  const heads = new Array<number>(shards).fill(0);
  const upTo = new Array<number>(shards).fill(0);
  const drain = (): void => {
    const bound = Math.min(...upTo);
    for (;;) {
      let pick = -1;
      let line = Number.POSITIVE_INFINITY;
      for (let s = 0; s < shards; s++) {
        const op = queues[s][heads[s]];
        if (op !== undefined && op.l < line) {
          pick = s;
          line = op.l;
        }
      }
      if (pick === -1 || line > bound) break;
      // A line's ops are all one shard's: take them together.
      const queue = queues[pick];
      while (heads[pick] < queue.length && queue[heads[pick]].l === line) apply(queue[heads[pick]++]);
    }
    for (let s = 0; s < shards; s++) {
      if (heads[s] > 4096 && heads[s] * 2 > queues[s].length) {
        queues[s] = queues[s].slice(heads[s]);
        heads[s] = 0;
      }
    }
  };
  return {
    push: (shard: number, ops: ShardOp[], through: number): void => {
      const queue = queues[shard];
      for (const op of ops) queue.push(op);
      upTo[shard] = through;
      drain();
    },
  };
};

class Fallback extends Error {}

const runShards = async (file: string, options: ParallelOptions, config: ProviderConfig): Promise<DoctorReport> => {
  const totals = createDoctorTotals(options.doctor, config);
  let requests = 0;
  const merge = createMerge(options.jobs, (op) => {
    replayOp(op, totals);
    if ('q' in op && ++requests % 100_000 === 0) options.onProgress?.(requests);
  });
  const witnesses: ShardWitness[] = [];
  const prefixes: PrefixEconomics[][] = [];
  let logTenants = 0;
  const errors: Array<{ line: number; message: string; code?: string }> = [];
  // The main thread reads shard 0 itself, between the workers' messages: one worker fewer to start,
  // and on a long-lived process its code is already compiled.
  const url = options.jobs > 1 ? await workerUrl() : TSX_WORKER_URL;
  const startOf = (shard: number): ShardStart => ({ kind: 'doctor-shard', file, shard, shards: options.jobs, doctor: options.doctor, read: options.read });
  const workers = Array.from({ length: options.jobs - 1 }, (_, k) => new Worker(url, { workerData: startOf(k + 1) }));
  const local = { stopped: false };
  /** A shard's message: witnesses checked, ops merged; settles the shard's promise when it is the last. */
  const onMessage = (shard: number, message: ShardMessage, resolve: () => void, reject: (error: Error) => void): void => {
    if ('error' in message) {
      errors.push(message.error);
      merge.push(shard, [], Number.POSITIVE_INFINITY);
      return resolve();
    }
    witnesses[shard] = message.witness;
    logTenants = Math.max(logTenants, message.logTenants);
    const why = inexactness(witnesses.filter((w) => w !== undefined), logTenants, config);
    if (why !== undefined) return reject(new Fallback(why));
    merge.push(shard, message.ops, message.upTo);
    if ('done' in message) {
      prefixes[shard] = message.prefixes;
      resolve();
    }
  };
  try {
    await Promise.all([
      new Promise<void>((resolve, reject) => {
        runShard(startOf(0), (message) => onMessage(0, message, resolve, reject), local).then(resolve, reject);
      }),
      ...workers.map(
        (worker, k) =>
          new Promise<void>((resolve, reject) => {
            worker.on('error', reject);
            worker.on('exit', () => resolve());
            worker.on('message', (message: ShardMessage) => onMessage(k + 1, message, resolve, reject));
          }),
      ),
    ]);
  } finally {
    local.stopped = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // A worker that ended without its last message (killed, out of memory) leaves no partial report.
  const finished = prefixes.filter((p) => p !== undefined).length + errors.length;
  if (finished < options.jobs) throw new Error(`doctor --jobs: ${options.jobs - finished} worker(s) ended before reading the log to its end`);
  if (errors.length > 0) {
    const first = errors.reduce((a, b) => (b.line < a.line ? b : a));
    throw first.code === undefined ? new Error(first.message) : new CachecastError(first.code as ErrorCode, first.message);
  }
  // The serial tracker lists prefixes from least to most recently seen (none was pushed out: the
  // witnesses say so); each shard's list is in that order already.
  const merged = prefixes.flat().sort((a, b) => a.seq - b.seq);
  return totals.finish(merged);
};

/** The report of `cachecast doctor --jobs n` on a file: identical to diagnoseFileSerial's. */
export const diagnoseFileParallel = async (file: string, options: ParallelOptions): Promise<DoctorReport> => {
  const config = doctorConfig(options.doctor.profile);
  if (options.jobs <= 1) return diagnoseFileSerial(file, options);
  if (config.caching.scope === 'global') {
    options.onFallback?.('the profile caches across tenants (scope global)');
    return diagnoseFileSerial(file, options);
  }
  try {
    return await runShards(file, options, config);
  } catch (error) {
    if (!(error instanceof Fallback)) throw error;
    options.onFallback?.(error.message);
    return diagnoseFileSerial(file, options);
  }
};

/**
 * --jobs when not given: 1. On the 2-core machine the benchmarks run on, with other work on it,
 * --jobs 2 was slower than one thread even on a 500 MB log (README, benchmarks): each worker reads
 * the whole file and warms its own code and heap. Give --jobs where cores are free.
 */
export const DEFAULT_JOBS = 1;
