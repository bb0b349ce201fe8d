// The mock provider a live run talks to: the scenario's provider config and provider events, and a
// clock that stands at the scenario's start until the test begins (`clock.start()`). `cachecast
// live` and the k6 tests' in-process harness both build it here, so the tests run what live runs.

import type { FastifyInstance } from 'fastify';
import { buildMockProvider } from '../mock-provider/app.ts';
import { scheduleEvents } from '../mock-provider/apply-event.ts';
import { timedEvents } from '../scenarios/kit/timeline.ts';
import type { Scenario, ScenarioSpec } from '../scenarios/kit/format.ts';
import { providerConfigOf } from '../scenarios/kit/validate.ts';
import { createWallClock, type WallClock } from '../mock-provider/clock.ts';
import type { ProviderState } from '../core/model/provider.ts';
import type { StreamState } from '../core/random/streams.ts';

export interface LiveMockOptions {
  scenario: Scenario;
  variant: string;
  /** The variant's spec (`specFor(scenario, variant)`). */
  spec: ScenarioSpec;
  timeScale: number;
  /** NDJSON ledger file; rows stay in memory only when omitted. */
  ledgerPath?: string;
  /** `--window`: start from this state (k6/live-window.ts), the clock at its time, only later events. */
  from?: { atMs: number; state: ProviderState; streamState?: StreamState };
}

export const buildLiveMock = async ({ scenario, variant, spec, timeScale, ledgerPath, from }: LiveMockOptions): Promise<{ app: FastifyInstance; clock: WallClock }> => {
  const startAtMs = from?.atMs ?? scenario.startMs;
  const clock = createWallClock({ timeScale, startAtMs, paused: true });
  const app = await buildMockProvider({
    config: from?.state.config ?? providerConfigOf(spec, variant),
    ...(from === undefined ? {} : { state: from.state, providerStreamState: from.streamState }),
    clock,
    seed: scenario.seed,
    scenario: scenario.name,
    variant,
    ledgerPath,
    apiKeys: spec.provider.apiKeys,
    refuseUnknownKeys: spec.provider.refuseUnknownKeys,
    // k6 on the same host names each request's send instant (k6/bundle/test-start.ts): loopback
    // transit and the event loop's queue are not the scenario's.
    clientSendTimes: true,
  });
  scheduleEvents(app, timedEvents(spec, scenario.startMs).filter((e) => e.atMs >= startAtMs));
  return { app, clock };
};
