// Which model version a request's model name means, with its spec and output cap, remembered per
// name: resolving it took four keyed lookups in the config's dictionaries (the alias lookup a miss
// that walks the prototype chain), a tenth of the model's time per request on the simulator's
// reference workload. The memo belongs to one config object: a new one (the mock provider's
// PATCH /admin/config) starts it afresh, and the events that edit the config in place
// (alias-repoint, tokenizer-upgrade) forget it (events.ts).

import type { ModelSpec, ProviderConfig } from './config.ts';
import { maxOutputTokensOf } from './max-output.ts';
import type { Limiter } from './quotas/limiter.ts';

/**
 * What a tenant's requests to one model look up every time: the key salt and the limiters (kept
 * by the provider in `salts` and `quotas`, two nested maps each). Remembered here, they cost one
 * lookup; `limiters` is undefined until the tenant's first request that reaches the quotas.
 */
export interface TenantModel {
  salt: number;
  limiters: Limiter[] | undefined;
}

export interface ResolvedModel {
  /** The model version, after alias resolution. */
  model: string;
  spec: ModelSpec;
  maxOutputTokens: number;
  /** Per tenant (provider.ts forgets a tenant here when it forgets its limiters). */
  tenants: Map<string, TenantModel>;
}

export interface ModelMemo {
  config: ProviderConfig | undefined;
  /** null: no model or alias has that name. */
  byName: Map<string, ResolvedModel | null>;
}

/** Names remembered at most: a mock provider's clients may send any number of unknown names. */
const MAX_NAMES = 1_000;

export const createModelMemo = (): ModelMemo => ({ config: undefined, byName: new Map() });

/** Forgets what was remembered for `tenant` under every model. */
export const forgetTenantModels = (memo: ModelMemo, tenant: string): void => {
  for (const resolved of memo.byName.values()) resolved?.tenants.delete(tenant);
};

export const forgetModels = (memo: ModelMemo): void => {
  memo.config = undefined;
  memo.byName.clear();
};

/** `resolveModel(config, name)` (provider.ts), its spec and its output cap; undefined for an unknown name. */
export const resolveModelMemo = (memo: ModelMemo, config: ProviderConfig, name: string): ResolvedModel | undefined => {
  if (memo.config !== config) {
    memo.config = config;
    memo.byName.clear();
  }
  let resolved = memo.byName.get(name);
  if (resolved === undefined) {
    const target = config.aliases[name] ?? name;
    const spec = config.models[target];
    resolved = spec === undefined ? null : { model: target, spec, maxOutputTokens: maxOutputTokensOf(target, spec), tenants: new Map() };
    if (memo.byName.size < MAX_NAMES) memo.byName.set(name, resolved);
  }
  return resolved ?? undefined;
};
