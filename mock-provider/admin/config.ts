// PATCH /admin/config: overrides merged into the live provider config, the way a scenario's
// overrides are merged into a profile. Caches survive unless the node layout changes (then the
// provider is rebuilt, cold); quota usage restarts so new limits apply at once.

import { mergeConfig, type DeepPartial, type ProviderConfig } from '../../core/model/config.ts';
import { providerConfigSchema } from '../../core/model/config-schema.ts';
import { createProvider } from '../../core/model/provider.ts';
import { formatZodError } from '../../core/wire/validation.ts';
import type { ModelHolder } from '../runtime.ts';

export const applyConfigOverrides = (holder: ModelHolder, overrides: DeepPartial<ProviderConfig>): { rebuilt: boolean } => {
  const current = holder.state.config;
  // Checked whole before anything changes: a bad override leaves the running config as it was.
  // The parse's output is a fresh copy, so nothing of the running config is shared with it.
  const parsed = providerConfigSchema.safeParse(mergeConfig<ProviderConfig>(current, overrides));
  if (!parsed.success) throw new Error(formatZodError(parsed.error).message);
  const merged = parsed.data;
  if (merged.wire !== current.wire || merged.profile !== current.profile) {
    throw new Error('profile and wire cannot change on a running server; start another with --profile');
  }
  const layoutChanged = JSON.stringify(merged.nodes) !== JSON.stringify(current.nodes);
  if (layoutChanged) {
    holder.state = createProvider(merged);
    return { rebuilt: true };
  }
  holder.state.config = merged;
  holder.state.quotas.clear();
  holder.state.salts.clear();
  return { rebuilt: false };
};
