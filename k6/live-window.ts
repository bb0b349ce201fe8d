// `cachecast live --window FROM..TO`: rehearse one window of a scenario live, starting warm. The
// simulator runs from the scenario's start to the window's start, keying prompts as the mock
// provider will key the k6 bundle's text (wire-keys.ts), and stops there with a state snapshot;
// the mock provider starts from that state with its clock at the window's start; the bundle sends
// only the window's iterations, numbered as in the whole run (scenarios/kit/window.ts). The same
// snapshot, continued in the simulator to the window's end, is the reference the live figures are
// compared with: the same requests, from the same state.

import type { LedgerRow, RequestRow } from '../core/ledger/row.ts';
import type { RunSummary } from '../core/ledger/run-summary.ts';
import type { ProviderState } from '../core/model/provider.ts';
import { restoreProvider, type Snapshot } from '../core/model/snapshot.ts';
import type { StreamState } from '../core/random/streams.ts';
import type { Scenario } from '../scenarios/kit/format.ts';
import { parseWindow } from '../scenarios/kit/scenario-time.ts';
import { providerConfigOf, specFor } from '../scenarios/kit/validate.ts';
import { windowSpec, type WindowSettings } from '../scenarios/kit/window.ts';
import { runScenario } from '../simulator/run.ts';
import type { PendingWork } from '../simulator/pending-work.ts';
import { createWireKeys } from './wire-keys.ts';

export interface LiveWindow {
  /** Provider time, epoch ms. */
  fromMs: number;
  toMs: number;
  /** For the k6 bundle. */
  settings: WindowSettings;
  /** The mock provider's start: the simulator's state at the window's start. */
  from: { atMs: number; state: ProviderState; streamState?: StreamState };
  snapshot: Snapshot;
  /** The simulator's run of the window from the same state: its summary and request rows. */
  reference: { summary: RunSummary; requests: RequestRow[] };
  /** Requests the window sends (arrival-rate executors; retries and VU loops vary live). */
  iterations: Record<string, number>;
  notes: string[];
}

/** Simulates to the window's start, snapshots, and simulates the window from it as the reference. */
export const prepareWindow = async (scenario: Scenario, variant: string, windowText: string): Promise<LiveWindow> => {
  const { fromMs, toMs } = parseWindow(windowText, scenario.startMs);
  const spec = specFor(scenario, variant);
  const keys = await createWireKeys(providerConfigOf(spec, variant).wire);
  let snapshot: Snapshot | undefined;
  await runScenario({ scenario, variant, keys, snapshotAtMs: fromMs, onSnapshot: (s) => (snapshot = s) });
  if (snapshot === undefined) throw new Error('the simulator stopped without a snapshot');
  const requests: RequestRow[] = [];
  const summary = await runScenario({
    scenario,
    variant,
    keys,
    resume: snapshot,
    snapshotAtMs: toMs,
    sink: (row: LedgerRow) => {
      if (row.kind === 'request') requests.push(row);
    },
  });
  const vuCounters = (snapshot.clients as PendingWork).counters;
  const settings: WindowSettings = { fromMs: fromMs - scenario.startMs, toMs: toMs - scenario.startMs, vuCounters };
  const windowed = windowSpec(spec, scenario.seed, settings, vuCounters);
  return {
    fromMs,
    toMs,
    settings,
    from: { atMs: fromMs, state: restoreProvider(snapshot), streamState: snapshot.streams.provider },
    snapshot,
    reference: { summary, requests },
    iterations: windowed.iterations,
    notes: windowed.notes,
  };
};

/**
 * The scenario as the live run's planning and summary see it: its window only, starting at the
 * window's start (the bundle itself is built from the scenario module, with the window in its settings).
 */
export const windowScenario = (scenario: Scenario, window: LiveWindow): Scenario => ({
  ...scenario,
  startAt: new Date(window.fromMs).toISOString(),
  startMs: window.fromMs,
  setup: (variant) => windowSpec(scenario.setup(variant), scenario.seed, window.settings, window.settings.vuCounters).spec,
});
