// One shard of `cachecast doctor --jobs`, on a worker thread (or the main thread's own shard):
// reads the whole file itself, cuts every line but decodes
// only those of its own tenants (line-tenant.ts), runs doctor's engine on them and posts the
// engine's calls on the totals and finding book (shard-ops.ts) after each chunk of the file. No
// log entry crosses threads: a 32 kB entry cost ~17 µs to clone each way.

import { parentPort, workerData } from 'node:worker_threads';
import { CachecastError } from '../../core/errors.ts';
import { readRequestLog } from '../replay/request-log.ts';
import { describersFor } from './diagnose-file.ts';
import { createDoctorEngine } from './diagnose.ts';
import { createSharder } from './line-tenant.ts';
import { createRecordingSink, type ShardMessage, type ShardStart } from './shard-ops.ts';

/** Sends at least every this many lines even when the shard had none of them (the merge waits on the slowest shard). */
const SEND_EVERY_LINES = 20_000;

/** Runs one shard, posting its messages; `signal.stopped` ends it early (its result no longer wanted). */
export const runShard = async (start: ShardStart, post: (message: ShardMessage) => void, signal: { stopped: boolean } = { stopped: false }): Promise<void> => {
  let line = 0;
  const sink = createRecordingSink(() => line);
  const engine = createDoctorEngine(start.doctor, sink, true);
  const sharder = createSharder(start.shards);
  let cut = 0; // lines cut so far, this shard's or not
  let sent = 0;
  let stop: { line: number; message: string; code: string } | undefined;
  const entries = readRequestLog(start.file, {
    // Always 'skip' here: under 'stop' the first refused line ends the shard and the main thread
    // throws the earliest shard's.
    onError: 'skip',
    onSkip: (error, lineNumber) => {
      if (start.read.onError === 'stop') stop ??= { line: lineNumber, message: error.message, code: error.code };
      else {
        line = lineNumber;
        sink.skip(error.message);
      }
    },
    describe: await describersFor(start.read.tokenizer),
    maxBreakpoints: start.read.maxBreakpoints,
    fallbackApi: start.read.fallbackApi,
    keep: (bytes, from, to) => {
      cut++;
      return sharder.shardOf(bytes, from, to) === start.shard;
    },
    afterBatch: () => {
      if (stop !== undefined) return;
      const ops = sink.take();
      if (ops.length === 0 && cut - sent < SEND_EVERY_LINES) return;
      sent = cut;
      post({ ops, upTo: cut, witness: engine.witness(), logTenants: sharder.tenants() });
    },
  });
  for await (const entry of entries) {
    if (signal.stopped) return;
    if (stop !== undefined) break;
    line = entry.lineNumber;
    engine.add(entry);
  }
  if (stop !== undefined) return post({ error: stop });
  post({ ops: sink.take(), upTo: Number.POSITIVE_INFINITY, witness: engine.witness(), logTenants: sharder.tenants(), done: true, prefixes: engine.prefixes() });
};

// Only in a thread started as a doctor shard: the main thread imports this module for its own shard,
// and that may itself run on a worker thread of something else (a test runner's).
const started = workerData as Partial<ShardStart> | undefined;
if (parentPort !== null && started?.kind === 'doctor-shard') {
  const port = parentPort;
  runShard(started as ShardStart, (message) => port.postMessage(message)).catch((error: unknown) =>
    port.postMessage({ error: { line: 0, message: error instanceof Error ? error.message : String(error), code: error instanceof CachecastError ? error.code : undefined } }),
  );
}
