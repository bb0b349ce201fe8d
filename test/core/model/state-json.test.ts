// Every field of the provider state survives the trip to JSON and back (key salts excepted: a memo
// rebuilt on first use). A field added to the state and not to state-json.ts fails here.

import { describe, expect, it } from 'vitest';
import { restoreProvider, takeSnapshot, type Snapshot } from '../../../core/model/snapshot.ts';
import type { ProviderState } from '../../../core/model/provider.ts';
import { runScenario } from '../../../simulator/run.ts';
import batchInteractive from '../../../scenarios/batch-interactive-collision.ts';
import evictionPressure from '../../../scenarios/eviction-pressure.ts';
import affinityOverflow from '../../../scenarios/affinity-overflow.ts';
import { createProvider } from '../../../core/model/provider.ts';
import { providerConfigOf, specFor } from '../../../scenarios/kit/validate.ts';

const identity = { scenario: 's', variant: 'v', seed: 's', configHash: '0' };

describe('provider state as JSON', () => {
  const at = async (scenario: typeof evictionPressure, variant: string, afterMs: number): Promise<Snapshot> => {
    let snapshot: Snapshot | undefined;
    await runScenario({ scenario, variant, snapshotAtMs: scenario.startMs + afterMs, onSnapshot: (s) => (snapshot = s) });
    return snapshot!;
  };
  const at12m = (scenario: typeof evictionPressure, variant: string): Promise<Snapshot> => at(scenario, variant, 12 * 60_000);
  const roundTrip = (snapshot: Snapshot) => takeSnapshot(identity, 'scenario', snapshot.atMs, restoreProvider(JSON.parse(JSON.stringify(snapshot)) as Snapshot), {}).provider;

  it('busy states come back equal: full caches with parents, limiters mid-window, router counters', async () => {
    const caches = await at12m(evictionPressure, 'busy-neighbours');
    expect(roundTrip(caches)).toEqual(caches.provider);
    const entries = caches.provider.nodes.flatMap((n) => n.entries);
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.every((e) => typeof e[8] === 'number')).toBe(true);
    const quotas = await at12m(batchInteractive, 'retry-jitter');
    expect(roundTrip(quotas)).toEqual(quotas.provider);
    expect(quotas.provider.limiters.length).toBeGreaterThan(0);
    // Rate counters exist where a per-key rate overflows: OpenAI's ~15 per minute (Anthropic has none).
    const counters = await at(affinityOverflow, 'key-per-user', 5 * 60_000);
    expect(roundTrip(counters)).toEqual(counters.provider);
    expect(counters.provider.router.rates.length).toBeGreaterThan(0);
  });

  it('every field of a fresh state is kept (salts are a memo and start empty)', () => {
    const spec = specFor(batchInteractive, 'shared-key');
    const state: ProviderState = createProvider(providerConfigOf(spec, 'shared-key'));
    const restored = restoreProvider(takeSnapshot(identity, 'scenario', 0, state, {}) as Snapshot);
    expect(Object.keys(restored).sort()).toEqual(Object.keys(state).sort());
    expect({ ...restored, salts: undefined }).toEqual({ ...state, salts: undefined });
  });
});
