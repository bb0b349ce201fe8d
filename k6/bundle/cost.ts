// Cost of an answer at the profile's price table (after the scenario's overrides), from the usage
// the provider returned: the same formula as the ledger's `costUsd` (core/model/pricing.ts).
// The answer names the model that served it; an alias the provider re-pointed is priced as its
// new target, as the provider bills it.

import type { ProviderConfig } from '../../core/model/config.ts';
import { costUsd } from '../../core/model/pricing.ts';
import type { Usage } from '../../core/model/types.ts';

/** USD, or undefined when neither the answering nor the requested model is in the price table. */
export const answerCostUsd = (config: ProviderConfig, answeredModel: string, requestedModel: string, usage: Usage): number | undefined => {
  const spec = config.models[answeredModel] ?? config.models[config.aliases[requestedModel] ?? requestedModel];
  return spec === undefined ? undefined : costUsd(spec.prices, usage);
};
