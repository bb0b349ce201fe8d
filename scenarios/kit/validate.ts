// The scenario format's validation, apart from its types (format.ts) so that a k6 bundle, which
// imports scenario modules, carries no validator: every check runs in Node, when the CLI loads a
// scenario and before a run or a bundle, and names each bad field by its path.

import { z } from 'zod';
import { mergeConfig, type ProviderConfig } from '../../core/model/config.ts';
import { providerConfigSchema } from '../../core/model/config-schema.ts';
import { providerEvent } from '../../core/model/event-schema.ts';
import { PROFILES } from '../../core/model/profiles/index.ts';
import type { Rng } from '../../core/model/rng.ts';
import { parseDuration } from './durations.ts';
import { COMPARISONS, type Expectation, type RequestBuilder, type Scenario, type ScenarioDefinition, type ScenarioSpec } from './format.ts';

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
    provider: z
      .object({
        profile: z.enum(['anthropic', 'openai']),
        overrides: z.record(z.string(), z.unknown()).optional(),
        apiKeys: z.record(z.string().min(1), z.string().min(1)).optional(),
        refuseUnknownKeys: z.boolean().optional(),
      })
      .strict(),
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

/** Validates a scenario module's definition; throws ScenarioFormatError naming each bad field. */
export const validateDefinition = (scenario: Scenario): void => {
  const { startMs: _startMs, ...definition } = scenario;
  const parsed = definitionSchema.safeParse(definition);
  if (!parsed.success) throw new ScenarioFormatError(describeIssues(parsed.error, ''));
};

/** The spec of one variant, validated; throws naming the variant and the field. */
export const specFor = (scenario: Scenario, variant: string): ScenarioSpec => {
  if (!(variant in scenario.variants)) {
    throw new ScenarioFormatError(`variant "${variant}" is not one of: ${Object.keys(scenario.variants).join(', ')}`);
  }
  let spec: ScenarioSpec;
  try {
    spec = scenario.setup(variant);
  } catch (error) {
    // The scenario's own code threw: say whose, rather than exit with the bare message.
    throw new ScenarioFormatError(`setup("${variant}") threw: ${error instanceof Error ? error.message : String(error)}`);
  }
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


const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0;

const OPTIONAL_STRINGS = ['session', 'class', 'promptCacheKey'] as const;
const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';

/**
 * What is wrong with a request a traffic's `build` returned, or undefined. Type checks only, cheap
 * enough for every request (nothing is allocated when it is fine): a wrong shape used to run
 * anyway (`tenant: 7` became a row, NaN or negative tokens became 429s; issue 16, item 11).
 */
export const builtRequestProblem = (request: unknown): string | undefined => {
  if (typeof request !== 'object' || request === null) return `expected a request object or null, got ${request === null ? 'null' : typeof request}`;
  const r = request as Record<string, unknown>;
  if (typeof r.tenant !== 'string' || r.tenant === '') return `tenant: expected a non-empty string, got ${JSON.stringify(r.tenant)}`;
  if (typeof r.model !== 'string' || r.model === '') return `model: expected a non-empty string, got ${JSON.stringify(r.model)}`;
  if (!Array.isArray(r.segments)) return 'segments: expected an array of prompt segments';
  for (let i = 0; i < r.segments.length; i++) {
    const s = r.segments[i] as Record<string, unknown> | null;
    if (typeof s !== 'object' || s === null || !isCount(s.tokens) || typeof s.hash !== 'number') {
      return `segments.${i}: expected a segment with a whole non-negative "tokens" and a numeric "hash"`;
    }
  }
  if (!isCount(r.outputTokens)) return `outputTokens: expected a whole number >= 0, got ${JSON.stringify(r.outputTokens) ?? String(r.outputTokens)}`;
  if (r.maxTokens !== undefined && !isCount(r.maxTokens)) return `maxTokens: expected a whole number >= 0, got ${JSON.stringify(r.maxTokens) ?? String(r.maxTokens)}`;
  // Each field by name: a loop over the names read `r[field]` by a varying key, a slow lookup on every request.
  if (!isOptionalString(r.session) || !isOptionalString(r.class) || !isOptionalString(r.promptCacheKey)) {
    const field = OPTIONAL_STRINGS.find((name) => !isOptionalString(r[name])) as string;
    return `${field}: expected a string, got ${JSON.stringify(r[field])}`;
  }
  return undefined;
};
