// Provider-side changes at a moment in provider time: the things that break a cache when nothing
// in your code changed (DESIGN §1 "Events").

import { clearNode, setCapacity } from './cache-node.ts';
import { forgetModels } from './model-memo.ts';
import type { QuotaSpec } from './config.ts';
import type { ProviderState } from './provider.ts';
import type { CacheTtl } from './types.ts';

export const PROVIDER_EVENT_KINDS = [
  'tokenizer-upgrade',
  'alias-repoint',
  'capacity-cut',
  'ttl-change',
  'quota-change',
  'node-drain',
  'faults',
] as const;
export type ProviderEventKind = (typeof PROVIDER_EVENT_KINDS)[number];

export type ProviderEvent =
  /** A new tokenizer for a model (all models when none is named): every prefix key changes. */
  | { kind: 'tokenizer-upgrade'; model?: string; tokenizer?: string; tokenInflation?: number }
  /** The provider points a floating alias at a new version: a cold cache with no deploy of yours. */
  | { kind: 'alias-repoint'; alias: string; model: string }
  /** A noisy neighbour takes capacity: each node (or one) keeps `factor` of its cache capacity. */
  | { kind: 'capacity-cut'; factor: number; node?: number }
  | { kind: 'ttl-change'; ttl: CacheTtl; ttlMs: number }
  /** Changes one quota (limit, window, accounting kind); its usage starts afresh. */
  | { kind: 'quota-change'; quota: string; changes: Partial<Omit<QuotaSpec, 'name'>> }
  /** A node leaves the pool with its cache; its traffic goes elsewhere, cold. */
  | { kind: 'node-drain'; node: number }
  /** An incident starts or ends: the background fault rates given replace the current ones. */
  | { kind: 'faults'; overloadRate?: number; errorRate?: number; latencySpikeRate?: number; latencySpikeMs?: number };

export const describeEvent = (event: ProviderEvent): string => {
  switch (event.kind) {
    case 'tokenizer-upgrade':
      return `tokenizer upgrade${event.model ? ` (${event.model})` : ''}`;
    case 'alias-repoint':
      return `${event.alias} → ${event.model}`;
    case 'capacity-cut':
      return `capacity cut to ${Math.round(event.factor * 100)} %${event.node === undefined ? '' : ` on node ${event.node}`}`;
    case 'ttl-change':
      return `${event.ttl} TTL now ${event.ttlMs / 1000} s`;
    case 'quota-change':
      return `quota ${event.quota} changed`;
    case 'node-drain':
      return `node ${event.node} drained`;
    case 'faults':
      return describeFaults(event);
    default:
      return assertNever(event);
  }
};

const percent = (rate: number): string => `${Math.round(rate * 1000) / 10} %`;

/** `529s 50 %, 500s 5 %, +3 s TTFT for 10 %`; `faults cleared` when every rate given is zero. */
const describeFaults = (event: Extract<ProviderEvent, { kind: 'faults' }>): string => {
  const parts: string[] = [];
  if ((event.overloadRate ?? 0) > 0) parts.push(`529s ${percent(event.overloadRate ?? 0)}`);
  if ((event.errorRate ?? 0) > 0) parts.push(`500s ${percent(event.errorRate ?? 0)}`);
  if ((event.latencySpikeRate ?? 0) > 0) parts.push(`+${(event.latencySpikeMs ?? 0) / 1000} s TTFT for ${percent(event.latencySpikeRate ?? 0)}`);
  return parts.length === 0 ? 'faults cleared' : `faults: ${parts.join(', ')}`;
};

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** Applies an event; throws (naming the field) when it refers to something that does not exist. */
export const applyEvent = (state: ProviderState, event: ProviderEvent): void => {
  const { config } = state;
  switch (event.kind) {
    case 'tokenizer-upgrade': {
      const models = event.model === undefined ? Object.keys(config.models) : [event.model];
      for (const id of models) {
        const spec = config.models[id];
        if (spec === undefined) throw new Error(`event.model: unknown model "${id}"`);
        spec.tokenizer = event.tokenizer ?? `${spec.tokenizer}+1`;
        if (event.tokenInflation !== undefined) spec.tokenInflation = event.tokenInflation;
      }
      state.salts.clear();
      forgetModels(state.models);
      return;
    }
    case 'alias-repoint':
      if (config.models[event.model] === undefined) throw new Error(`event.model: unknown model "${event.model}"`);
      config.aliases[event.alias] = event.model;
      forgetModels(state.models);
      return;
    case 'capacity-cut': {
      const targets = event.node === undefined ? state.nodes : [state.nodes[event.node]];
      if (targets.some((n) => n === undefined)) throw new Error(`event.node: no node ${event.node}`);
      for (const node of targets) setCapacity(node.cache, Math.floor(node.cache.capacityTokens * event.factor));
      return;
    }
    case 'ttl-change':
      config.caching.ttlMs[event.ttl] = event.ttlMs;
      return;
    case 'quota-change': {
      const spec = config.quotas.find((q) => q.name === event.quota);
      if (spec === undefined) throw new Error(`event.quota: no quota named "${event.quota}"`);
      Object.assign(spec, event.changes);
      // Only this quota starts afresh: drop its limiters (their state may be of the old kind) and
      // keep the others' usage; the provider recreates the dropped ones on next use.
      for (const byModel of state.quotas.values()) {
        for (const limiters of byModel.values()) {
          const i = limiters.findIndex((limiter) => limiter.spec === spec);
          if (i >= 0) limiters.splice(i, 1);
        }
      }
      return;
    }
    case 'faults': {
      const { kind: _kind, ...rates } = event;
      Object.assign(config.faults, rates);
      return;
    }
    case 'node-drain': {
      const node = state.nodes[event.node];
      if (node === undefined) throw new Error(`event.node: no node ${event.node}`);
      node.drained = true;
      state.liveNodes = state.liveNodes.filter((n) => n !== event.node);
      clearNode(node.cache);
      return;
    }
    default:
      assertNever(event);
  }
};

/** A provider event at a provider time (epoch ms): a scenario's events, once placed on the clock. */
export interface TimedEvent {
  atMs: number;
  event: ProviderEvent;
}
