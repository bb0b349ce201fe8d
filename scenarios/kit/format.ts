// The scenario format: one typed module per scenario, run unchanged by the simulator, the mock
// provider (its provider section) and a k6 bundle. Scenarios import nothing from Node or k6:
// traffic is data plus pure request builders `build(iterationInTest, tMs, rng)`.

import type { DeepPartial, ProviderConfig } from '../../core/model/config.ts';
import type { ProviderEvent } from '../../core/model/events.ts';
import type { Rng } from '../../core/model/rng.ts';
import type { ModelRequest } from '../../core/model/types.ts';
import type { RequestRow } from '../../core/ledger/row.ts';
import type { Duration } from './durations.ts';

/** One request as a client sends it: the model request plus who sends it and why. */
export interface ScenarioRequest extends ModelRequest {
  /** Client-side session (conversation) id; reports compute per-session hit rates. */
  session?: string;
  /** Traffic class for charts and quotas-by-class: interactive (default), batch, warmup ... */
  class?: string;
}

/**
 * Pure: the same iteration, time and rng give the same request in every driver. `tMs` is scenario
 * time (ms since the scenario start); return null to send nothing this iteration.
 */
export type RequestBuilder = (iterationInTest: number, tMs: number, rng: Rng) => ScenarioRequest | null;

/** What the client does between and after requests. */
export interface ClientBehaviour {
  /** Retry a 429 after the provider's retry-after (default false). */
  retryOn429?: boolean;
  /**
   * Retry a 500, 529 (503 on the OpenAI wire) as the official SDKs do: after retry-after when
   * given, else 0.5 s doubling to 8 s with up to 25 % jitter (default false; kit/retry.ts).
   */
  retryOnServerError?: boolean;
  /** Retries per request, of either kind (default 2, the SDKs' default). */
  maxRetries?: number;
  /** Uniform random extra wait added to each retry, ms (0 = synchronised retries). */
  retryJitterMs?: number;
}

export type ThinkTime = Duration | ((rng: Rng) => number);

interface ExecutorBase {
  startTime?: Duration;
  build: RequestBuilder;
  client?: ClientBehaviour;
}

export type Executor =
  | (ExecutorBase & { executor: 'constant-arrival-rate'; rate: number; timeUnit?: Duration; duration: Duration })
  | (ExecutorBase & {
      executor: 'ramping-arrival-rate';
      startRate?: number;
      timeUnit?: Duration;
      stages: Array<{ target: number; duration: Duration }>;
    })
  | (ExecutorBase & { executor: 'constant-vus'; vus: number; duration: Duration; thinkTime?: ThinkTime })
  | (ExecutorBase & {
      executor: 'ramping-vus';
      startVUs?: number;
      stages: Array<{ target: number; duration: Duration }>;
      thinkTime?: ThinkTime;
    })
  | (ExecutorBase & { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDuration?: Duration; thinkTime?: ThinkTime });

export const EXECUTOR_NAMES = [
  'constant-arrival-rate',
  'ramping-arrival-rate',
  'constant-vus',
  'ramping-vus',
  'per-vu-iterations',
] as const;
export type ExecutorName = (typeof EXECUTOR_NAMES)[number];

/** A streaming reducer over the ledger: fed every row in time order, then asked for one figure. */
export interface Measure {
  add: (row: RequestRow) => void;
  value: () => number;
  /**
   * True when the figure has nothing to stand on (a rate over no tokens, a percentile of no rows):
   * its expectation fails saying so instead of comparing a placeholder 0 with the bound.
   */
  empty?: () => boolean;
}
/** What a percentile measure records into: an HDR histogram in Node (expectations.ts builds it). */
export interface Histogram {
  recordValue: (value: number) => void;
  getValueAtPercentile: (percentile: number) => number;
}
export interface MeasureContext {
  /** Scenario start, epoch ms: rows' `atMs - startMs` is scenario time. */
  startMs: number;
  /** A new latency histogram. Handed in, so scenario modules (bundled into k6) import no histogram library. */
  histogram: () => Histogram;
}

export const COMPARISONS = ['>=', '<=', '>', '<'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface Expectation {
  name: string;
  description: string;
  measure: (context: MeasureContext) => Measure;
  op: Comparison;
  value: number;
  /** The same bound as a k6 threshold on a cachecast custom metric, when k6 can check it. */
  k6?: { metric: string; threshold: string };
}

export interface ScenarioSpec {
  provider: {
    profile: 'anthropic' | 'openai';
    overrides?: DeepPartial<ProviderConfig>;
    /**
     * The mock provider's API keys (live rehearsals and `serve --scenario`): key → organisation.
     * With `refuseUnknownKeys`, any other key but `cc-<org>` gets the wire's 401.
     */
    apiKeys?: Record<string, string>;
    refuseUnknownKeys?: boolean;
  };
  traffic: Record<string, Executor>;
  /** How long the simulator runs; in-flight requests finish. Defaults to the last executor's end. */
  duration?: Duration;
  events?: Array<{ at: Duration; event: ProviderEvent }>;
  /** Client-side moments charted as annotations (cut-over, batch start). */
  phases?: Array<{ at: Duration; label: string }>;
  expectations?: Expectation[];
}

export interface ScenarioDefinition {
  name: string;
  /** Two sentences: the story, and what to look at in the charts. */
  description: string;
  seed?: string;
  /** Provider time at scenario start (ISO 8601 UTC); windows align to it. */
  startAt?: string;
  /** Variant name → one line on what it changes; the first is the baseline. */
  variants: Record<string, string>;
  setup: (variant: string) => ScenarioSpec;
}

export interface Scenario extends ScenarioDefinition {
  seed: string;
  startAt: string;
  startMs: number;
}

export const DEFAULT_START_AT = '2026-01-05T00:00:00Z';

/**
 * A scenario module's default export. Fills the defaults and nothing else: validation (zod) runs in
 * Node when the scenario is loaded (validate.ts), so this module, the types and the scenario library
 * bundle into k6 without the validator.
 */
export const defineScenario = (definition: ScenarioDefinition): Scenario => {
  const startAt = definition.startAt ?? DEFAULT_START_AT;
  return { ...definition, seed: definition.seed ?? definition.name, startAt, startMs: Date.parse(startAt) };
};

export const baselineVariant = (scenario: Scenario): string => Object.keys(scenario.variants)[0];
