// Runs one scenario variant in virtual time: provider model + executors on the event engine.
// Rows go to the sinks as they happen; nothing proportional to the run is kept.

import type { Scenario, ScenarioRequest } from '../scenarios/kit/format.ts';
import { providerConfigOf, specFor } from '../scenarios/kit/validate.ts';
import type { RunContext } from './client.ts';
import { createEngine, type EngineProgress, progressOf, runUntil, schedule, type SimEvent } from './engine/engine.ts';
import { createProcess, startExecutor, type Process } from './executors/processes.ts';
import { pendingEvents, pendingWorkOf, phaseAt, providerEventAt } from './pending-work.ts';
import { scenarioDurationMs } from '../scenarios/kit/timeline.ts';
import { startSummary } from '../scenarios/kit/summarize.ts';
import type { LedgerRow } from '../core/ledger/row.ts';
import type { RunSummary } from '../core/ledger/run-summary.ts';
import { createProvider } from '../core/model/provider.ts';
import { readSnapshot, restoreProvider, SCENARIO_KEYS, type Snapshot, SnapshotError, takeSnapshot } from '../core/model/snapshot.ts';
import { snapshotIdentity } from '../scenarios/kit/snapshot-identity.ts';
import { resumableStream } from '../core/random/streams.ts';

export interface RunOptions {
  scenario: Scenario;
  variant: string;
  /** Defaults to the scenario's own seed. */
  seed?: string;
  /** Receives every row in time order (the ledger writer, a report aggregator ...). */
  sink?: (row: LedgerRow) => void;
  /** Awaited between slices of events: the ledger writer's back-pressure. */
  drain?: () => Promise<void>;
  onProgress?: (progress: EngineProgress & { fraction: number }) => void;
  /**
   * Stop before this provider time (epoch ms) and hand the state to `onSnapshot`: every event
   * before it has run, none at or after it, so the ledger and summary cover [start, snapshotAtMs).
   */
  snapshotAtMs?: number;
  onSnapshot?: (snapshot: Snapshot) => void;
  /** Continue from a snapshot of this scenario, variant and seed: rows and summary cover [its time, end). */
  resume?: Snapshot;
  /**
   * The cache-key space: how prompts become the provider's segments. By default the scenario's own
   * segments; `cachecast live --window` and `run --snapshot-at` hash them as the mock provider
   * hashes the k6 bundle's text (k6/wire-keys.ts), so a snapshot's keys are the ones live traffic
   * looks up. A snapshot names its key space, and a resumed run must use the same.
   */
  keys?: { name: string; asSent: (request: ScenarioRequest) => ScenarioRequest };
}


const SLICE_EVENTS = 20_000;

export const runScenario = async (options: RunOptions): Promise<RunSummary> => {
  const { scenario, variant } = options;
  const seed = options.seed ?? scenario.seed;
  const spec = specFor(scenario, variant);
  const config = providerConfigOf(spec, variant);
  const startMs = scenario.startMs;
  const durationMs = scenarioDurationMs(spec);
  const endMs = startMs + durationMs;

  const identity = snapshotIdentity(scenario, variant, seed);
  // A resumed run checks its snapshot before anything else: another scenario's state is refused by name.
  const resume = options.resume === undefined ? undefined : readSnapshot(options.resume, identity);
  const keys = options.keys?.name ?? SCENARIO_KEYS;
  if (resume !== undefined && resume.keys !== keys) {
    throw new SnapshotError(`keys: the snapshot's cache keys are in the "${resume.keys}" key space, this run's in "${keys}"`);
  }
  if (options.snapshotAtMs !== undefined && !(options.snapshotAtMs > (resume?.atMs ?? startMs) && options.snapshotAtMs <= endMs)) {
    throw new RangeError(`snapshotAtMs: ${new Date(options.snapshotAtMs).toISOString()} is not inside the run (${new Date(resume?.atMs ?? startMs).toISOString()}, ${new Date(endMs).toISOString()}]`);
  }
  const summary = startSummary(scenario, variant, spec, { seed, driver: 'simulator' });
  const sink = options.sink;
  const providerStream = resumableStream(seed, 'provider', resume?.streams.provider);
  const context: RunContext = {
    seed,
    scenario: scenario.name,
    variant,
    startMs,
    endMs,
    provider: resume === undefined ? createProvider(config) : restoreProvider(resume),
    providerRng: providerStream.rng,
    ...(options.keys === undefined ? {} : { asSent: options.keys.asSent }),
    emit: (row) => {
      if (row.kind === 'request') summary.add(row);
      sink?.(row);
    },
  };

  const engine = createEngine(resume?.atMs ?? startMs);
  const processes = new Map<string, Process>(Object.entries(spec.traffic).map(([name, executor]) => [name, createProcess(context, name, executor)]));
  let first: SimEvent[];
  if (resume === undefined) {
    // In this order: at equal times, provider events, then phases, then arrivals in traffic order.
    first = [
      ...(spec.events ?? []).map((_, i) => providerEventAt(context, spec, i)),
      ...(spec.phases ?? []).map((_, i) => phaseAt(context, spec, i)),
      ...[...processes.values()].flatMap(startExecutor),
    ];
  } else {
    first = pendingEvents(resume.clients, context, spec, processes);
  }
  for (const event of first) schedule(engine, event);
  const stopMs = options.snapshotAtMs ?? endMs;
  const inclusive = options.snapshotAtMs === undefined;
  const fromMs = engine.nowMs;
  while (!runUntil(engine, stopMs, SLICE_EVENTS, inclusive)) {
    options.onProgress?.({ ...progressOf(engine), fraction: (engine.nowMs - fromMs) / Math.max(1, stopMs - fromMs) });
    if (options.drain) await options.drain();
  }
  if (options.snapshotAtMs !== undefined) {
    options.onSnapshot?.(
      takeSnapshot(identity, keys, options.snapshotAtMs, context.provider, { provider: { ...providerStream.state() } }, pendingWorkOf(engine, processes)),
    );
  }

  // A partial run (resumed, or stopped at a snapshot) covers [fromMs, stopMs).
  return { ...summary.summary(stopMs - fromMs), startIso: new Date(fromMs).toISOString() };
};
