// `cachecast doctor`'s engine: each logged request goes once through core/wire (segments, tokens)
// and the provider model (what the cache read, what it cost), then is compared with the most alike
// recent request of its tenant and model. What the comparison finds the model did not read is a
// loss, attributed to one cause and priced with the profile. State is bounded: a few recent
// requests per tenant and session, O(1) per stable prefix, a capped book of findings.

import { createProvider, handleRequest, mergeConfig, mixKey, type ModelSpec, type ProviderConfig, type Usage } from '../../core/model/index.ts';
import { PROFILES, type ProfileName } from '../../core/model/profiles/index.ts';
import { stream } from '../../core/random/streams.ts';
import { compareViews, firstDifference, type SerialisationMemo } from './divergence.ts';
import { bucketMsFor, createFindingBook, type FindingBook } from './finding-book.ts';
import type { DoctorReport } from '../../core/ledger/doctor-report.ts';
import { createLossRules, type Seen } from './loss-rules.ts';
import type { RequestLogEntry } from '../replay/request-log.ts';
import { keptView, releaseView, viewRequest, type RequestView } from './request-view.ts';
import { createTextPool } from './text-pool.ts';
import { createTtlTracker, type PrefixEconomics, type Strategy } from './ttl-economics.ts';
import { ttlFindings } from './ttl-findings.ts';

/** One request of the log, as the request-log reader yields it (ts in epoch ms, '' for no tenant or session). */
export type LogRecord = Pick<RequestLogEntry, 'ts' | 'tenant' | 'session' | 'wire' | 'body' | 'request'> & { lineNumber?: number };

export interface DoctorOptions {
  profile: ProfileName | ProviderConfig;
  /** Replace every excerpt with its hash. */
  redact?: boolean;
  /** Name of the log, for the report. */
  log?: string;
  seed?: string;
}

export interface Doctor {
  add: (record: LogRecord) => void;
  /** A line the reader or the model refused: counted, and the first few kept as examples. */
  skip: (message: string) => void;
  finish: () => DoctorReport;
}

const RECENT_PER_TENANT = 4;
const MAX_TENANTS = 256;
const MAX_SESSIONS = 512;
const MAX_ANCHORS = 100_000;
/** divergence.ts keeps at most this many serialisation verdicts. */
const MAX_VERDICTS = 10_000;
const MIN = 60_000;

/** Doctor runs the profile's caching and routing, without quotas or faults: a log is what got through. */
export const doctorConfig = (profile: ProfileName | ProviderConfig): ProviderConfig => {
  const base = typeof profile === 'string' ? PROFILES[profile] : profile;
  return mergeConfig(base, {
    quotas: [],
    faults: { overloadRate: 0, errorRate: 0, latencySpikeRate: 0, latencySpikeMs: 0, windows: [] },
    // Slot saturation needs real output lengths, which a request log does not carry.
    routing: { overflowWhenSaturated: false },
  });
};

/** Put `key` last in a Map used as an LRU, evicting the oldest beyond `max`; returns the evicted value. */
const touch = <V>(map: Map<string, V>, key: string, value: V, max: number): V | undefined => {
  map.delete(key);
  map.set(key, value);
  if (map.size <= max) return undefined;
  const [oldestKey, oldest] = map.entries().next().value as [string, V];
  map.delete(oldestKey);
  return oldest;
};

/** A request kept for comparison, and how many lists (its tenant's recent requests, its session) hold it. */
interface Kept extends Seen {
  holders: number;
}

/** How long a request's prefix stays readable: its longest breakpoint TTL, or its retention. */
const ttlMsOf = (view: RequestView, config: ProviderConfig): number => {
  if (config.caching.mode === 'breakpoints') return view.request.segments.some((s) => s.breakpoint === '1h') ? config.caching.ttlMs['1h'] : config.caching.ttlMs['5m'];
  return view.request.retention === '24h' ? config.caching.extendedRetentionMs : config.caching.ttlMs['5m'];
};

/** The stable prefix whose reuse TTL economics and model changes are judged on. */
interface Anchor {
  key: string;
  end: number;
  tokens: number;
  strategy: Strategy;
}

const anchorOf = (view: RequestView, spec: ModelSpec, config: ProviderConfig): Anchor | undefined => {
  const segments = view.request.segments;
  let end = -1;
  let strategy: Strategy = 'none';
  let tokens = 0;
  let cum = 0;
  if (config.caching.mode === 'breakpoints') {
    for (let i = 0; i < segments.length && end < 0; i++) {
      cum += segments[i].tokens;
      const ttl = segments[i].breakpoint;
      if (ttl !== undefined && cum * spec.tokenInflation >= spec.minCacheableTokens) {
        end = i + 1;
        strategy = ttl;
        tokens = cum;
      }
    }
  }
  if (end < 0) {
    tokens = 0;
    for (let i = 0; i < view.headSegments; i++) tokens += segments[i].tokens;
    if (view.headSegments === 0 || tokens * spec.tokenInflation < spec.minCacheableTokens) return undefined;
    end = view.headSegments;
    strategy = config.caching.mode === 'breakpoints' ? 'none' : view.request.retention === '24h' ? '24h' : 'in_memory';
  }
  let key = 0;
  for (let i = 0; i < end; i++) key = mixKey(key, segments[i].hash, segments[i].tokens);
  return { key: `${view.request.tenant}\u0000${key}`, end, tokens: Math.round(tokens * spec.tokenInflation), strategy };
};

/** Where the engine's per-request results go: totals and findings (one doctor, or a shard's record of them). */
export interface DoctorSink {
  /** A request the model served: what its prompt cost and read. */
  request: (costUsd: number, readTokens: number, promptTokens: number, atMs: number) => void;
  skip: (message: string) => void;
  book: Pick<FindingBook, 'add'>;
}

/**
 * What a shard of doctor --jobs saw of the state the serial path shares across tenants, to judge
 * whether running its tenants apart gave exactly what one doctor gives (parallel.ts exactness).
 */
export interface ShardWitness {
  /** Keys ever inserted: tenants, sessions, anchors, TTL prefixes, serialisation verdicts. */
  tenants: number;
  sessions: number;
  anchors: number;
  prefixes: number;
  verdicts: number;
  /** The model's cache nodes: evictions, and the most tokens and busy slots each node held at once. */
  evictions: number;
  peakTokens: number[];
  peakBusy: number[];
  /** Draws from the model's random stream (one stream for all tenants). */
  draws: number;
}

/** Caps on doctor's state shared across tenants (the witness's keys must stay within them). */
export const DOCTOR_CAPS = { tenants: MAX_TENANTS, sessions: MAX_SESSIONS, anchors: MAX_ANCHORS, verdicts: MAX_VERDICTS } as const;

export interface DoctorEngine {
  add: (record: LogRecord) => void;
  /** TTL tallies of every prefix seen twice (ttl-economics.ts `finish`); call once, at the end. */
  prefixes: () => PrefixEconomics[];
  witness: () => ShardWitness;
  config: ProviderConfig;
}

/**
 * The per-request path: core/wire's request through the model, compared with the tenant's recent
 * requests, losses priced into `sink`. Everything it keeps is per tenant except the caps of its
 * LRUs and the model's nodes (see ShardWitness).
 */
export const createDoctorEngine = (options: DoctorOptions, sink: DoctorSink, watch = false): DoctorEngine => {
  const config = doctorConfig(options.profile);
  const state = createProvider(config);
  const provided = stream(options.seed ?? 'doctor', 'provider');
  const rng = watch ? () => (seen.draws++, provided()) : provided;
  const rules = createLossRules(config, sink.book, options.redact === true);
  const ttl = createTtlTracker();
  // Verdicts per tenant and signature: a place's verdict comes from that tenant's own requests, as
  // it would with the tenant's log alone (no tenant's verdict stands for another's).
  const verdicts = new Map<string, string[] | null>();
  let memoTenant = '';
  const memo: SerialisationMemo = {
    get: (signature) => verdicts.get(`${memoTenant}\u0000${signature}`),
    set: (signature, verdict) => void verdicts.set(`${memoTenant}\u0000${signature}`, verdict),
    get size() {
      return verdicts.size;
    },
  };
  const tenants = new Map<string, Kept[]>();
  const sessions = new Map<string, Kept>();
  // Long texts of kept requests, in buffers given back when the last list lets go of the request.
  const pool = createTextPool();
  const letGo = (kept: Kept | undefined): void => {
    if (kept !== undefined && --kept.holders === 0) releaseView(kept.view, pool);
  };
  const anchors = new Map<string, { model: string; atMs: number; ttlMs: number }>();
  const seen = { tenants: 0, sessions: 0, anchors: 0, draws: 0 };
  const peakTokens = state.nodes.map(() => 0);
  const peakBusy = state.nodes.map(() => 0);

  const add = (record: LogRecord): void => {
    const tenant = record.tenant;
    const made = viewRequest(record, tenant);
    if (!made.ok) return sink.skip(`request at ${new Date(record.ts).toISOString()}: ${made.message}`);
    const { view } = made;
    const atMs = record.ts;
    const outcome = handleRequest(state, view.request, atMs, rng);
    if (outcome.status !== 200) return sink.skip(`request at ${new Date(record.ts).toISOString()}: the model answered ${outcome.status} (${outcome.error?.message ?? 'no message'})`);
    const usage: Usage = outcome.usage;
    sink.request(outcome.costUsd, usage.cacheReadTokens, usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens, atMs);
    if (watch) {
      const node = state.nodes[outcome.node];
      peakTokens[outcome.node] = Math.max(peakTokens[outcome.node], node.cache.usedTokens);
      let busy = 0;
      for (const freeAt of node.slots.freeAtMs) if (freeAt > atMs) busy++;
      peakBusy[outcome.node] = Math.max(peakBusy[outcome.node], busy);
    }
    const model = outcome.model;
    const spec = config.models[model];
    const ttlMs = ttlMsOf(view, config);
    const now: Seen = { view, model, atMs };

    // The most alike recent request of the same model still inside this request's TTL.
    const sessionKey = record.session === '' ? undefined : `${tenant}\u0000${record.session}`;
    const recent = tenants.get(tenant) ?? [];
    const candidates = sessionKey === undefined ? recent : [sessions.get(sessionKey), ...recent];
    let best: Seen | undefined;
    let bestIndex = -1;
    for (const c of candidates) {
      if (c === undefined || c.model !== model || atMs - c.atMs > ttlMs) continue;
      const index = firstDifference(c.view, view);
      if (index > bestIndex) {
        best = c;
        bestIndex = index;
      }
    }
    memoTenant = tenant;
    if (best !== undefined) rules.compared(best, now, compareViews(best.view, view, memo), usage, spec, outcome.affinity);

    const anchor = anchorOf(view, spec, config);
    if (anchor !== undefined) {
      const before = anchors.get(anchor.key);
      if (before !== undefined && before.model !== model && atMs - before.atMs <= before.ttlMs) {
        rules.modelChange(now, before.model, anchor.tokens, usage, spec);
      }
      if (before === undefined) seen.anchors++;
      touch(anchors, anchor.key, { model, atMs, ttlMs }, MAX_ANCHORS);
      const path = view.blocks[anchor.end - 1].path;
      ttl.observe(`${anchor.key}\u0000${model}`, () => ({ tenant, model, path, tokens: anchor.tokens, wire: config.wire, current: anchor.strategy }), atMs, anchor.strategy, spec.prices, record.lineNumber);
    }

    const kept: Kept = { view: keptView(view, pool), model, atMs, holders: 1 };
    if (recent.length >= RECENT_PER_TENANT) letGo(recent[RECENT_PER_TENANT - 1]);
    if (recent.length === 0) seen.tenants++;
    for (const gone of touch(tenants, tenant, [kept, ...recent].slice(0, RECENT_PER_TENANT), MAX_TENANTS) ?? []) letGo(gone);
    if (sessionKey !== undefined) {
      kept.holders++;
      const last = sessions.get(sessionKey);
      if (last === undefined) seen.sessions++;
      letGo(last);
      letGo(touch(sessions, sessionKey, kept, MAX_SESSIONS));
    }
  };

  const witness = (): ShardWitness => ({
    ...seen,
    prefixes: ttl.created(),
    verdicts: verdicts.size,
    evictions: state.nodes.reduce((sum, node) => sum + node.cache.evictions, 0),
    peakTokens: peakTokens.slice(),
    peakBusy: peakBusy.slice(),
  });

  return { add, prefixes: () => ttl.finish(), witness, config };
};

/** Totals and findings of a whole log: one engine's sink, or the merge of shards' (parallel.ts). */
export interface DoctorTotals extends DoctorSink {
  finish: (prefixes: PrefixEconomics[]) => DoctorReport;
}

export const createDoctorTotals = (options: DoctorOptions, config: ProviderConfig = doctorConfig(options.profile)): DoctorTotals => {
  const book = createFindingBook();
  let requests = 0;
  let skipped = 0;
  const skippedExamples: string[] = [];
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  let promptSpendUsd = 0;
  let readTokens = 0;
  let promptTokens = 0;

  const request = (costUsd: number, read: number, prompt: number, atMs: number): void => {
    requests++;
    firstMs = Math.min(firstMs, atMs);
    lastMs = Math.max(lastMs, atMs);
    promptSpendUsd += costUsd;
    readTokens += read;
    promptTokens += prompt;
  };

  const skip = (message: string): void => {
    skipped++;
    if (skippedExamples.length < 5) skippedExamples.push(message);
  };

  const finish = (prefixes: PrefixEconomics[]): DoctorReport => {
    ttlFindings(prefixes, book, config);
    const span = Number.isFinite(firstMs) ? { fromMs: firstMs, toMs: lastMs } : { fromMs: 0, toMs: 0 };
    const bucketMs = bucketMsFor(Math.max(MIN, span.toMs - span.fromMs));
    const originMs = Math.floor(span.fromMs / bucketMs) * bucketMs;
    const { findings, series } = book.finish(promptSpendUsd, originMs, bucketMs);
    return {
      log: options.log ?? '',
      profile: config.profile,
      fromIso: new Date(span.fromMs).toISOString(),
      toIso: new Date(span.toMs).toISOString(),
      requests,
      skipped,
      skippedExamples,
      promptSpendUsd,
      hitRate: promptTokens === 0 ? 0 : readTokens / promptTokens,
      redacted: options.redact === true,
      findings,
      bucketMs,
      series,
    };
  };

  return { request, skip, book, finish };
};

export const createDoctor = (options: DoctorOptions): Doctor => {
  const totals = createDoctorTotals(options);
  const engine = createDoctorEngine(options, totals);
  return { add: engine.add, skip: totals.skip, finish: () => totals.finish(engine.prefixes()) };
};

/** Streams `records` through a doctor and returns its report. */
export const diagnose = async (records: AsyncIterable<LogRecord> | Iterable<LogRecord>, options: DoctorOptions): Promise<DoctorReport> => {
  const doctor = createDoctor(options);
  for await (const record of records) doctor.add(record);
  return doctor.finish();
};
