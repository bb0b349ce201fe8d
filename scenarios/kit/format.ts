// The scenario format: one typed module per scenario, run unchanged by the simulator, the mock
// provider (its provider section) and a k6 bundle. Scenarios import nothing from Node or k6:
// traffic is data plus pure request builders `build(iterationInTest, tMs, rng)`.

import { z } from 'zod';
import { mergeConfig, type DeepPartial, type ProviderConfig } from '../../core/model/config.ts';
import { providerConfigSchema } from '../../core/model/config-schema.ts';
import { providerEvent } from '../../core/model/event-schema.ts';
import type { ProviderEvent } from '../../core/model/events.ts';
import { PROFILES } from '../../core/model/profiles/index.ts';
import type { Rng } from '../../core/model/rng.ts';
import type { ModelRequest } from '../../core/model/types.ts';
import type { RequestRow } from '../../core/ledger/row.ts';
import { type Duration, parseDuration } from './durations.ts';

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
}
export interface MeasureContext {
  /** Scenario start, epoch ms: rows' `atMs - startMs` is scenario time. */
  startMs: number;
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
  provider: { profile: 'anthropic' | 'openai'; overrides?: DeepPartial<ProviderConfig> };
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

const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', { message: `expected ${what} (a function)` });
const duration = z.union([z.string(), z.number()]).refine(
  (value) => {
    try {
      parseDuration(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a duration such as 30s, 5m, 1h or milliseconds' },
);
const positive = z.number().positive();
const stages = z.array(z.object({ target: z.number().nonnegative(), duration })).min(1);
const client = z
  .object({ retryOn429: z.boolean().optional(), retryOnServerError: z.boolean().optional(), maxRetries: z.number().int().nonnegative().optional(), retryJitterMs: z.number().nonnegative().optional() })
  .strict()
  .optional();
const base = { startTime: duration.optional(), build: fn<RequestBuilder>('a request builder'), client };
const thinkTime = z.union([duration, fn<(rng: Rng) => number>('a think-time function')]).optional();

const executorSchema = z.discriminatedUnion('executor', [
  z.object({ ...base, executor: z.literal('constant-arrival-rate'), rate: positive, timeUnit: duration.optional(), duration }).strict(),
  z.object({ ...base, executor: z.literal('ramping-arrival-rate'), startRate: z.number().nonnegative().optional(), timeUnit: duration.optional(), stages }).strict(),
  z.object({ ...base, executor: z.literal('constant-vus'), vus: z.number().int().positive(), duration, thinkTime }).strict(),
  z.object({ ...base, executor: z.literal('ramping-vus'), startVUs: z.number().int().nonnegative().optional(), stages, thinkTime }).strict(),
  z.object({ ...base, executor: z.literal('per-vu-iterations'), vus: z.number().int().positive(), iterations: z.number().int().positive(), maxDuration: duration.optional(), thinkTime }).strict(),
]);

const specSchema = z
  .object({
    provider: z.object({ profile: z.enum(['anthropic', 'openai']), overrides: z.record(z.string(), z.unknown()).optional() }).strict(),
    traffic: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'traffic names are letters, digits, _ and - (k6 scenario names)'), executorSchema).refine((t) => Object.keys(t).length > 0, 'at least one executor'),
    duration: duration.optional(),
    events: z.array(z.object({ at: duration, event: providerEvent }).strict()).optional(),
    phases: z.array(z.object({ at: duration, label: z.string().min(1) }).strict()).optional(),
    expectations: z
      .array(
        z
          .object({
            name: z.string().min(1),
            description: z.string(),
            measure: fn<Expectation['measure']>('a measure factory'),
            op: z.enum(COMPARISONS),
            value: z.number(),
            k6: z.object({ metric: z.string(), threshold: z.string() }).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const definitionSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/, 'scenario names are lower-case letters, digits and -'),
    description: z.string().min(1),
    seed: z.string().optional(),
    startAt: z.iso.datetime().optional(),
    variants: z.record(z.string().regex(/^[a-z0-9-]+$/, 'variant names are lower-case letters, digits and -'), z.string()).refine((v) => Object.keys(v).length > 0, 'at least one variant'),
    setup: fn<ScenarioDefinition['setup']>('setup(variant)'),
  })
  .strict();

/** Formats zod issues as `path.to.field: message` lines. */
const describeIssues = (error: z.ZodError, prefix: string): string =>
  error.issues.map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`).join('\n');

export class ScenarioFormatError extends Error {}

export const DEFAULT_START_AT = '2026-01-05T00:00:00Z';

/** Validates a scenario module's definition; throws ScenarioFormatError naming each bad field. */
export const defineScenario = (definition: ScenarioDefinition): Scenario => {
  const parsed = definitionSchema.safeParse(definition);
  if (!parsed.success) throw new ScenarioFormatError(describeIssues(parsed.error, ''));
  const startAt = definition.startAt ?? DEFAULT_START_AT;
  return { ...definition, seed: definition.seed ?? definition.name, startAt, startMs: Date.parse(startAt) };
};

/** The spec of one variant, validated; throws naming the variant and the field. */
export const specFor = (scenario: Scenario, variant: string): ScenarioSpec => {
  if (!(variant in scenario.variants)) {
    throw new ScenarioFormatError(`variant "${variant}" is not one of: ${Object.keys(scenario.variants).join(', ')}`);
  }
  const spec = scenario.setup(variant);
  const parsed = specSchema.safeParse(spec);
  if (!parsed.success) throw new ScenarioFormatError(describeIssues(parsed.error, `setup("${variant}")`));
  providerConfigOf(spec, variant);
  return spec;
};

/**
 * The provider a spec runs against: its profile with the overrides merged in, checked whole. The
 * path of an error is the override's, and a field the profile does not have (a typo) is named.
 */
export const providerConfigOf = (spec: ScenarioSpec, variant: string): ProviderConfig => {
  const parsed = providerConfigSchema.safeParse(mergeConfig<ProviderConfig>(PROFILES[spec.provider.profile], spec.provider.overrides));
  if (!parsed.success) throw new ScenarioFormatError(describeIssues(parsed.error, `setup("${variant}").provider.overrides`));
  return parsed.data;
};

export const baselineVariant = (scenario: Scenario): string => Object.keys(scenario.variants)[0];
