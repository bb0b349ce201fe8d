// The provider: one call per request. `handleRequest(state, request, nowMs, rng)` resolves the
// model, routes to a node, plans the cache read and writes, checks quotas, queues for a slot and
// commits. The simulator calls it with virtual time, the mock provider with scaled wall time.

import type { ModelSpec, ProviderConfig, QuotaSpec } from './config.ts';
import { createCacheNode, sweepExpired, sweepOldest, touchEntry, type CacheNode, writeEntry } from './cache-node.ts';
import { InvalidPromptError, planCache } from './cache-lookup.ts';
import { hashString, mixKey } from './hash.ts';
import { createSlots, occupySlotQueueMs, serviceTiming, type NodeSlots } from './latency.ts';
import { keyAtTokens, layoutPrompt, layoutPromptInto, promptTokens, scratchLayout } from './prefix.ts';
import { costUsd } from './pricing.ts';
import { maxTokensTooLarge } from './max-output.ts';
import { createModelMemo, forgetTenantModels, type ModelMemo, resolveModelMemo, type TenantModel } from './model-memo.ts';
import { admit, createLimiter, limiterStates, type QuotaCharge } from './quotas/limiters.ts';
import type { Limiter } from './quotas/limiter.ts';
import type { Rng } from './rng.ts';
import { createRouter, route, sweepRouter, type RouterState } from './router.ts';
import { emptyUsage, type ErrorKind, type ModelRequest, type Outcome, type RateLimitState, type Segment, type Usage } from './types.ts';

export interface ProviderNode {
  cache: CacheNode;
  slots: NodeSlots;
  drained: boolean;
}

export interface ProviderState {
  /** A private copy: provider events change it. */
  config: ProviderConfig;
  nodes: ProviderNode[];
  /** Indexes of the nodes not drained; node-drain events update it. */
  liveNodes: number[];
  router: RouterState;
  /** Limiters per tenant, then model. Nested maps: no key string is built per request. */
  quotas: Map<string, Map<string, Limiter[]>>;
  /** Key salts per cache scope (tenant, or '*' when global), then model; cleared when a tokenizer changes. */
  salts: Map<string, Map<string, number>>;
  lastSweepMs: number;
  lastFullSweepMs: number;
  /** Model names resolved so far (a memo, like `salts`: not saved in a snapshot). */
  models: ModelMemo;
}

const SWEEP_EVERY_MS = 60_000;
/** Full passes over every entry are hourly: a minutely one was most of the time of large OpenAI runs. */
const FULL_SWEEP_EVERY_MS = 3_600_000;

const cloneConfig = (config: ProviderConfig): ProviderConfig => structuredClone(config);

export const createProvider = (config: ProviderConfig): ProviderState => {
  const own = cloneConfig(config);
  return {
    config: own,
    nodes: Array.from({ length: own.nodes.count }, () => ({
      cache: createCacheNode(own.nodes.capacityTokens),
      slots: createSlots(own.nodes.concurrency),
      drained: false,
    })),
    liveNodes: Array.from({ length: own.nodes.count }, (_, i) => i),
    router: createRouter(),
    quotas: new Map(),
    salts: new Map(),
    lastSweepMs: Number.NEGATIVE_INFINITY,
    lastFullSweepMs: Number.NEGATIVE_INFINITY,
    models: createModelMemo(),
  };
};

/** Alias → model version; undefined when neither a model nor an alias has that name. */
export const resolveModel = (config: ProviderConfig, model: string): string | undefined => {
  const target = config.aliases[model] ?? model;
  return config.models[target] === undefined ? undefined : target;
};

/**
 * Prompt tokens as the model counts them for `model` (its tokenizer's inflation applied segment by
 * segment, as `handleRequest` lays them out); undefined for an unknown model. Anthropic's
 * count_tokens endpoint answers this.
 */
export const countPromptTokens = (config: ProviderConfig, model: string, segments: readonly Segment[]): number | undefined => {
  const resolved = resolveModel(config, model);
  return resolved === undefined ? undefined : promptTokens(layoutPrompt(segments, 0, config.models[resolved].tokenInflation));
};

/** The salt every key of this tenant and model starts from: scope, model version, tokenizer. */
const nested = <V>(outer: Map<string, Map<string, V>>, a: string, b: string): V | undefined => outer.get(a)?.get(b);

const setNested = <V>(outer: Map<string, Map<string, V>>, a: string, b: string, value: V): V => {
  let inner = outer.get(a);
  if (inner === undefined) {
    inner = new Map();
    outer.set(a, inner);
  }
  inner.set(b, value);
  return value;
};

const saltFor = (state: ProviderState, tenant: string, model: string): number => {
  const scope = state.config.caching.scope === 'global' ? '*' : tenant;
  return (
    nested(state.salts, scope, model) ??
    setNested(state.salts, scope, model, hashString(`${scope}\u0000${model}\u0000${state.config.models[model].tokenizer}`))
  );
};

/** Drops what the model keeps per organisation (limiters, key salts); the next request starts afresh. */
export const forgetTenant = (state: ProviderState, tenant: string): void => {
  state.quotas.delete(tenant);
  state.salts.delete(tenant);
  forgetTenantModels(state.models, tenant);
};

const limitersFor = (state: ProviderState, tenant: string, model: string, nowMs: number): Limiter[] => {
  const existing = nested(state.quotas, tenant, model);
  if (existing !== undefined && existing.length === state.config.quotas.length) return existing;
  // New, or a quota-change dropped a limiter: (re)create what is missing, in the configured order.
  const limiters = state.config.quotas.map((spec) => existing?.find((l) => l.spec === spec) ?? createLimiter(spec, nowMs));
  return setNested(state.quotas, tenant, model, limiters);
};

/**
 * `limitersFor`, through the tenant's memo: the remembered list while it is whole (a quota-change
 * event takes the changed quota's limiter out of it, and `limitersFor` then makes a new list).
 */
const tenantLimiters = (state: ProviderState, memo: TenantModel, tenant: string, model: string, nowMs: number): Limiter[] => {
  const known = memo.limiters;
  if (known !== undefined && known.length === state.config.quotas.length) return known;
  return (memo.limiters = limitersFor(state, tenant, model, nowMs));
};

interface FaultsNow {
  overloadRate: number;
  errorRate: number;
  extraMs: number;
}

/** The fault rates and extra latency in force at `nowMs`: the background ones and any window's. */
const faultsAt = (config: ProviderConfig, nowMs: number): FaultsNow => {
  let overloadRate = config.faults.overloadRate;
  let errorRate = config.faults.errorRate;
  let extraMs = 0;
  for (const w of config.faults.windows) {
    if (nowMs >= w.fromMs && nowMs < w.toMs) {
      overloadRate = Math.max(overloadRate, w.overloadRate);
      errorRate = Math.max(errorRate, w.errorRate ?? 0);
      extraMs += w.extraLatencyMs;
    }
  }
  return { overloadRate, errorRate, extraMs };
};

/** An answer with no tokens, node or cost: the model's refusals, and the mock provider's edge ones. */
export const rejectedOutcome = (
  status: number,
  error: Outcome['error'],
  model = '',
  retryAfterMs = 0,
): Outcome => ({
  status,
  ...(error === undefined ? {} : { error }),
  model,
  node: -1,
  affinity: 'none',
  usage: emptyUsage(),
  costUsd: 0,
  ttftMs: 0,
  latencyMs: 0,
  retryAfterMs,
  writeKey: 0,
});

const OVERLOADED = { kind: 'overloaded', message: 'Overloaded' } as const;
const INTERNAL = { kind: 'internal', message: 'Internal server error' } as const;

const windowName = (windowMs: number): string =>
  windowMs === 60_000 ? 'minute' : windowMs === 86_400_000 ? 'day' : `${windowMs / 1000} seconds`;

// The wording of Anthropic's real 429 body (provider-facts §1.12).
const rateLimitMessage = (spec: QuotaSpec | undefined): string =>
  spec === undefined
    ? 'This request would exceed the rate limit for your organization.'
    : `This request would exceed the rate limit for your organization of ${spec.limit.toLocaleString('en-US')} ${spec.dimension.replace('-', ' ')} per ${windowName(spec.windowMs)}.`;

/** Every limiter of a tenant and model after the request, for rate-limit response headers. */
export const rateLimitSnapshot = (state: ProviderState, tenant: string, model: string, nowMs: number): RateLimitState[] =>
  limiterStates(limitersFor(state, tenant, model, nowMs), nowMs);

/** Housekeeping on provider time: forget idle routing keys and expired entries. */
const sweep = (state: ProviderState, nowMs: number): void => {
  if (nowMs - state.lastSweepMs < SWEEP_EVERY_MS) return;
  state.lastSweepMs = nowMs;
  sweepRouter(state.router, nowMs);
  const full = nowMs - state.lastFullSweepMs >= FULL_SWEEP_EVERY_MS;
  if (full) state.lastFullSweepMs = nowMs;
  for (const node of state.nodes) (full ? sweepExpired : sweepOldest)(node.cache, nowMs);
};

/** Cache reads draw on input quotas where the profile says so, or the model (§1.11: the † models). */
// One charge object filled per request: `admit` reads it and keeps nothing of it.
const CHARGE: QuotaCharge = { requests: 1, 'input-tokens': 0, 'output-tokens': 0, tokens: 0 };

const quotaCharge = (config: ProviderConfig, spec: ModelSpec, usage: Usage): QuotaCharge => {
  const readsCount = spec.cacheReadsCountTowardInput ?? config.cacheReadsCountTowardInput;
  const input = usage.inputTokens + usage.cacheWriteTokens + (readsCount ? usage.cacheReadTokens : 0);
  CHARGE['input-tokens'] = input;
  CHARGE['output-tokens'] = usage.outputTokens;
  CHARGE.tokens = input + usage.outputTokens;
  return CHARGE;
};

// The layout of the request being handled: nothing holds it past `handleRequest`, which runs one
// request at a time, so its arrays serve every request (prefix.ts layoutPromptInto).
const LAYOUT = scratchLayout();

export const handleRequest = (state: ProviderState, request: ModelRequest, nowMs: number, rng: Rng): Outcome => {
  const { config } = state;
  sweep(state, nowMs);
  const resolved = resolveModelMemo(state.models, config, request.model);
  if (resolved === undefined) {
    return rejectedOutcome(404, { kind: 'not_found', message: `model: ${request.model}`, param: 'model' }, '');
  }
  const { model, spec, maxOutputTokens: maxOutput } = resolved;
  if (request.maxTokens !== undefined && request.maxTokens > maxOutput) {
    const message = maxTokensTooLarge(config.wire, model, request.maxTokens, maxOutput);
    return rejectedOutcome(400, { kind: 'invalid_request', message, param: 'max_tokens' }, model);
  }
  // Each fault draws from the stream only when its rate is above zero, so a scenario without
  // faults draws exactly what it drew before faults existed.
  // Without fault windows (most runs) the background rates stand: no object per request.
  let { overloadRate, errorRate } = config.faults;
  let windowExtraMs = 0;
  if (config.faults.windows.length > 0) ({ overloadRate, errorRate, extraMs: windowExtraMs } = faultsAt(config, nowMs));
  if (overloadRate > 0 && rng() < overloadRate) return rejectedOutcome(529, OVERLOADED, model);
  if (errorRate > 0 && rng() < errorRate) return rejectedOutcome(500, INTERNAL, model);
  const { latencySpikeRate, latencySpikeMs } = config.faults;
  const extraMs = windowExtraMs + (latencySpikeRate > 0 && rng() < latencySpikeRate ? latencySpikeMs : 0);

  // The tenant's salt and limiters for this model, remembered on the model's memo (model-memo.ts):
  // the salt now, the limiters when the request reaches the quotas (they start at that time).
  let tenantModel = resolved.tenants.get(request.tenant);
  if (tenantModel === undefined) {
    tenantModel = { salt: saltFor(state, request.tenant, model), limiters: undefined };
    resolved.tenants.set(request.tenant, tenantModel);
  }
  const layout = layoutPromptInto(LAYOUT, request.segments, tenantModel.salt, spec.tokenInflation);
  const total = promptTokens(layout);
  const affinityTokens = Math.min(config.routing.affinityPrefixTokens, total);
  const prefixKey = total === 0 ? layout.chainKeys[0] : keyAtTokens(layout, affinityTokens);
  const routingKey = request.promptCacheKey === undefined ? prefixKey : mixKey(prefixKey, hashString(request.promptCacheKey), 0);
  const live = state.liveNodes;
  if (live.length === 0) return rejectedOutcome(529, OVERLOADED, model);
  const { node: nodeIndex, affinity } = route(config, state.router, routingKey, live, state.nodes, nowMs, rng);
  const node = state.nodes[nodeIndex];

  const retentionTtlMs = request.retention === '24h' ? config.caching.extendedRetentionMs : config.caching.ttlMs['5m'];
  let plan;
  try {
    plan = planCache(config, node.cache, layout, spec.minCacheableTokens, retentionTtlMs, nowMs);
  } catch (error) {
    if (error instanceof InvalidPromptError) {
      return rejectedOutcome(400, { kind: 'invalid_request', message: error.message, param: error.param }, model);
    }
    throw error;
  }
  const outputTokens = Math.max(0, Math.min(request.outputTokens, request.maxTokens ?? maxOutput));
  const usage: Usage = {
    inputTokens: plan.inputTokens,
    cacheReadTokens: plan.cacheReadTokens,
    cacheWriteTokens: plan.cacheWriteTokens,
    cacheWrite1hTokens: plan.cacheWrite1hTokens,
    outputTokens,
  };

  const limiters = tenantLimiters(state, tenantModel, request.tenant, model, nowMs);
  const admission = admit(limiters, quotaCharge(config, spec, usage), nowMs);
  if (!admission.admitted) {
    const refused = admission.refusedBy;
    const quota =
      refused === undefined
        ? undefined
        : { dimension: refused.dimension, limit: refused.limit, windowMs: refused.windowMs, used: admission.used ?? 0, requested: admission.requested ?? 0 };
    return rejectedOutcome(429, { kind: 'rate_limit', message: rateLimitMessage(refused), ...(quota === undefined ? {} : { quota }) }, model, Math.ceil(admission.retryAfterMs));
  }

  const service = serviceTiming(config.latency, usage.inputTokens + usage.cacheWriteTokens, usage.cacheReadTokens, outputTokens);
  const prefillMs = service.prefillMs + extraMs;
  const queueMs = occupySlotQueueMs(node.slots, nowMs, prefillMs, service.decodeMs);
  const ttftMs = queueMs + prefillMs;
  const latencyMs = queueMs + prefillMs + service.decodeMs;

  for (let i = 0; i < plan.hitCount; i++) touchEntry(node.cache, plan.hits[i], nowMs, config.caching.refreshOnHit);
  let writeKey = 0;
  const readableAtMs = nowMs + ttftMs;
  for (let i = 0; i < plan.writeCount; i++) {
    const write = plan.writes[i];
    const pending = writeEntry(node.cache, write.key, write.prefixTokens, write.chargedTokens, write.parentKey, write.ttlMs, nowMs, readableAtMs);
    if (pending !== undefined) {
      // A concurrent writer got there first: this request still paid the write (the stampede),
      // and the entry becomes readable at the earlier of the two first tokens.
      pending.readableAtMs = Math.min(pending.readableAtMs, readableAtMs);
      pending.expiresAtMs = Math.max(pending.expiresAtMs, nowMs + write.ttlMs);
      touchEntry(node.cache, pending, nowMs, false);
    }
    writeKey = write.key;
  }

  return {
    status: 200,
    model,
    node: nodeIndex,
    affinity,
    usage,
    costUsd: costUsd(spec.prices, usage),
    ttftMs,
    latencyMs,
    retryAfterMs: 0,
    writeKey,
  };
};
