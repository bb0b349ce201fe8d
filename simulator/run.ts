// Runs one scenario variant in virtual time: provider model + executors on the event engine.
// Rows go to the sinks as they happen; nothing proportional to the run is kept.

import { parseDuration } from '../scenarios/kit/durations.ts';
import type { Scenario } from '../scenarios/kit/format.ts';
import { providerConfigOf, specFor } from '../scenarios/kit/validate.ts';
import { PRIORITY, type RunContext } from './client.ts';
import { eventRow } from '../core/ledger/row.ts';
import { createEngine, type EngineProgress, progressOf, runUntil, schedule } from './engine/engine.ts';
import { startExecutor } from './executors/processes.ts';
import { scenarioDurationMs, timedEvents } from '../scenarios/kit/timeline.ts';
import { startSummary } from '../scenarios/kit/summarize.ts';
import type { LedgerRow } from '../core/ledger/row.ts';
import type { RunSummary } from '../core/ledger/run-summary.ts';
import { applyEvent, describeEvent } from '../core/model/events.ts';
import { createProvider } from '../core/model/provider.ts';
import { stream } from '../core/random/streams.ts';

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

  const summary = startSummary(scenario, variant, spec, { seed, driver: 'simulator' });
  const sink = options.sink;
  const context: RunContext = {
    seed,
    scenario: scenario.name,
    variant,
    startMs,
    endMs,
    provider: createProvider(config),
    providerRng: stream(seed, 'provider'),
    emit: (row) => {
      if (row.kind === 'request') summary.add(row);
      sink?.(row);
    },
  };

  const engine = createEngine(startMs);
  for (const { atMs, event } of timedEvents(spec, startMs)) {
    schedule(engine, {
      atMs,
      priority: PRIORITY.providerEvent,
      run: (nowMs) => {
        applyEvent(context.provider, event);
        context.emit(eventRow(context, nowMs, 'provider', event.kind, describeEvent(event)));
      },
    });
  }
  for (const { at, label } of spec.phases ?? []) {
    schedule(engine, {
      atMs: startMs + parseDuration(at),
      priority: PRIORITY.phase,
      run: (nowMs) => context.emit(eventRow(context, nowMs, 'phase', 'phase', label)),
    });
  }
  for (const [name, executor] of Object.entries(spec.traffic)) {
    for (const event of startExecutor(context, name, executor)) schedule(engine, event);
  }
  while (!runUntil(engine, endMs, SLICE_EVENTS)) {
    options.onProgress?.({ ...progressOf(engine), fraction: (engine.nowMs - startMs) / Math.max(1, durationMs) });
    if (options.drain) await options.drain();
  }

  return summary.summary(durationMs);
};
