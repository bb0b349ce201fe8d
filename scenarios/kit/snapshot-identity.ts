// What a state snapshot of a scenario variant must name (core/model/snapshot.ts): the scenario,
// the variant, the seed, and a hash of the provider config the variant defines.

import { configHash, type SnapshotIdentity } from '../../core/model/snapshot.ts';
import type { Scenario } from './format.ts';
import { providerConfigOf, specFor } from './validate.ts';

export const snapshotIdentity = (scenario: Scenario, variant: string, seed = scenario.seed): SnapshotIdentity => ({
  scenario: scenario.name,
  variant,
  seed,
  configHash: configHash(providerConfigOf(specFor(scenario, variant), variant)),
});
