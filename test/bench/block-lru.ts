// The yardstick for the model's cost per request (issue 17, target 1): a bare block-LRU loop,
// the least work a prefix-cache simulator can do, timed against the full provider model over the
// same precomputed request stream in the same process. Their ratio holds on any machine, where
// requests per second depend on the CPU and on what else runs.
//
// The stream is the simulator's own: arrival times from the executor's schedule and each request
// from the scenario's builder with its iteration stream, as simulator/executors/processes.ts
// builds them, so the model loop sees exactly the requests a run sends.

import { createProvider, handleRequest } from '../../core/model/provider.ts';
import { hashString, mixKey } from '../../core/model/hash.ts';
import { iterationStreams, resumableStream } from '../../core/random/streams.ts';
import type { Scenario, ScenarioRequest } from '../../scenarios/kit/format.ts';
import { arrivalOffsetMs, arrivalStages } from '../../scenarios/kit/timeline.ts';
import { providerConfigOf, specFor } from '../../scenarios/kit/validate.ts';

export interface RequestStream {
  requests: ScenarioRequest[];
  atMs: Float64Array;
}

/** The first `count` requests of a scenario variant's single arrival-rate traffic entry, with their times. */
export const precomputeRequests = (scenario: Scenario, variant: string, count: number): RequestStream => {
  const spec = specFor(scenario, variant);
  const [[name, executor]] = Object.entries(spec.traffic);
  const stages = arrivalStages(executor);
  if (stages === undefined) throw new Error(`${name}: the block-LRU comparison needs an arrival-rate executor`);
  const rngFor = iterationStreams(scenario.seed, name);
  const requests: ScenarioRequest[] = [];
  const atMs = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const offset = arrivalOffsetMs(stages, k);
    if (offset === undefined) break;
    const request = executor.build(k, offset, rngFor(k));
    if (request === null) continue;
    atMs[requests.length] = scenario.startMs + offset;
    requests.push(request);
  }
  return { requests, atMs: atMs.subarray(0, requests.length) };
};

/** Something that takes requests [from, to) of a stream, in order, and returns the cache-read tokens it counted. */
type Runner = (from: number, to: number) => number;

/** The full provider model over the stream: handleRequest per request, as the simulator calls it. */
const modelRunner = (scenario: Scenario, variant: string, { requests, atMs }: RequestStream): Runner => {
  const provider = createProvider(providerConfigOf(specFor(scenario, variant), variant));
  const rng = resumableStream(scenario.seed, 'provider').rng;
  return (from, to) => {
    let readTokens = 0;
    for (let i = from; i < to; i++) readTokens += handleRequest(provider, requests[i], atMs[i], rng).usage.cacheReadTokens;
    return readTokens;
  };
};

interface Block {
  slot: number;
  tokens: number;
  older: Block | undefined;
  newer: Block | undefined;
}

/**
 * A bare block-LRU over the stream's prefix blocks: each segment up to the last cache breakpoint
 * is a block (what follows it is never cached) whose key chains the tenant's salt and every block
 * before it; blocks are read from the first until one is missing, the rest are written; a Map
 * finds a block and a doubly linked list keeps them in recency order (a Map re-inserted on every
 * hit is slower: its iterator steps over every vacated slot), evicting the least recently used
 * beyond `capacityTokens`. No routing, TTLs, quotas, latency or pricing.
 */
const blockLruRunner = ({ requests }: RequestStream, capacityTokens: number): Runner => {
  const salts = new Map<string, number>();
  const blocks = new Map<number, Block>();
  let oldest: Block | undefined;
  let newest: Block | undefined;
  const unlink = (b: Block): void => {
    if (b.older === undefined) oldest = b.newer;
    else b.older.newer = b.newer;
    if (b.newer === undefined) newest = b.older;
    else b.newer.older = b.older;
  };
  const append = (b: Block): void => {
    b.older = newest;
    b.newer = undefined;
    if (newest === undefined) oldest = b;
    else newest.newer = b;
    newest = b;
  };
  let usedTokens = 0;
  return (from, to) => {
    let readTokens = 0;
    for (let r = from; r < to; r++) {
      const request = requests[r];
      let key = salts.get(request.tenant);
      if (key === undefined) salts.set(request.tenant, (key = hashString(request.tenant)));
      let reading = true;
      const segments = request.segments;
      let last = segments.length - 1;
      while (last > 0 && segments[last].breakpoint === undefined) last--;
      for (let i = 0; i <= last; i++) {
        const segment = segments[i];
        key = mixKey(key, segment.hash, segment.tokens);
        // Keys are 52-bit; their low 30 bits make a small-integer Map key, as the model's cache does.
        const slot = key & 0x3fffffff;
        const block = blocks.get(slot);
        if (block !== undefined) {
          unlink(block);
          append(block);
          if (reading) readTokens += block.tokens;
          continue;
        }
        reading = false;
        const written: Block = { slot, tokens: segment.tokens, older: undefined, newer: undefined };
        blocks.set(slot, written);
        append(written);
        usedTokens += written.tokens;
        while (usedTokens > capacityTokens && oldest !== undefined) {
          const evicted: Block = oldest;
          unlink(evicted);
          blocks.delete(evicted.slot);
          usedTokens -= evicted.tokens;
        }
      }
    }
    return readTokens;
  };
};

export interface Comparison {
  modelSeconds: number;
  lruSeconds: number;
  /** Cache-read tokens each counted: close, not equal (the LRU has no nodes, TTLs or minimum). */
  modelReadTokens: number;
  lruReadTokens: number;
}

/**
 * The model and the block-LRU over the same stream, taking turns chunk by chunk (each keeps its own
 * state), so both see the machine in the same condition: on a shared machine whatever else runs
 * slows both alike, and their ratio stands where their rates do not. Chunks are large (25,000
 * requests) because each turn starts with the other's data in the CPU caches: with 2,000 the LRU
 * lost more to that than the model and the ratio looked a third better than with one turn each.
 */
export const compareWithBlockLru = (scenario: Scenario, variant: string, stream: RequestStream, capacityTokens: number, chunk = 25_000): Comparison => {
  const model = modelRunner(scenario, variant, stream);
  const lru = blockLruRunner(stream, capacityTokens);
  const out: Comparison = { modelSeconds: 0, lruSeconds: 0, modelReadTokens: 0, lruReadTokens: 0 };
  for (let from = 0; from < stream.requests.length; from += chunk) {
    const to = Math.min(stream.requests.length, from + chunk);
    let t = performance.now();
    out.lruReadTokens += lru(from, to);
    out.lruSeconds += (performance.now() - t) / 1000;
    t = performance.now();
    out.modelReadTokens += model(from, to);
    out.modelSeconds += (performance.now() - t) / 1000;
  }
  return out;
};
