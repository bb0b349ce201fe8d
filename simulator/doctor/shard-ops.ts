// What a shard of `cachecast doctor --jobs` sends the main thread: the calls its engine made on the
// log's totals and finding book, each tagged with the line it came from, so the main thread can
// make the same calls in file order (float sums and the book's cap depend on that order).

import type { Hit, FindingSeed } from './finding-book.ts';
import type { DoctorRead } from './diagnose-file.ts';
import type { DoctorOptions, DoctorSink, ShardWitness } from './diagnose.ts';
import type { PrefixEconomics } from './ttl-economics.ts';

/** A served request (cost, read tokens, prompt tokens, time), a skipped line, or a finding hit. */
export type ShardOp =
  | { l: number; q: [number, number, number, number] }
  | { l: number; m: string }
  | { l: number; k: string; h: Hit; s: FindingSeed }
  | { l: number; k: string; h: Hit; kind: FindingSeed['kind'] };

export interface ShardStart {
  kind: 'doctor-shard';
  file: string;
  shard: number;
  shards: number;
  doctor: DoctorOptions;
  read: DoctorRead;
}

export type ShardMessage =
  /** Every op of lines ≤ upTo has been sent (Infinity once done). */
  | { ops: ShardOp[]; upTo: number; witness: ShardWitness; logTenants: number }
  | { ops: ShardOp[]; upTo: number; witness: ShardWitness; logTenants: number; done: true; prefixes: PrefixEconomics[] }
  /** The first line the reader refused under onError 'stop' (0: the file itself), or another failure. */
  | { error: { line: number; message: string; code?: string } };

/** Beyond this many finding keys a shard sends the whole seed with every hit rather than remember kinds. */
const MAX_KINDS = 50_000;

/** A sink that records the engine's calls as ops of the line being read (`line()`). */
export const createRecordingSink = (line: () => number): DoctorSink & { take: () => ShardOp[] } => {
  let ops: ShardOp[] = [];
  const kinds = new Map<string, FindingSeed['kind']>();
  return {
    request: (costUsd, read, prompt, atMs) => void ops.push({ l: line(), q: [costUsd, read, prompt, atMs] }),
    skip: (message) => void ops.push({ l: line(), m: message }),
    book: {
      add: (key, seed, hit) => {
        const kind = kinds.get(key);
        if (kind !== undefined) return void ops.push({ l: line(), k: key, h: hit, kind });
        const made = seed();
        if (kinds.size < MAX_KINDS) kinds.set(key, made.kind);
        ops.push({ l: line(), k: key, h: hit, s: made });
      },
    },
    take: () => {
      const taken = ops;
      ops = [];
      return taken;
    },
  };
};

/**
 * Makes `op`'s call on `sink`. A hit without its seed is never a key's first in the file (that one
 * is its shard's first, which carries the seed); the book calls `seed` for a key it holds no entry
 * for only to file a full book's hit under its kind (finding-book.ts).
 */
export const replayOp = (op: ShardOp, sink: DoctorSink): void => {
  if ('q' in op) return sink.request(op.q[0], op.q[1], op.q[2], op.q[3]);
  if ('m' in op) return sink.skip(op.m);
  const seed: FindingSeed = 's' in op ? op.s : ({ kind: op.kind } as FindingSeed);
  sink.book.add(op.k, () => seed, op.h);
};
