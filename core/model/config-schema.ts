// A whole ProviderConfig, validated field by field: a profile with a scenario's overrides merged
// in, or the live config after PATCH /admin/config. Overrides are free-form until merged; checking
// the result names the field a typo or a wrong type is in (`faults.overloadRate: expected number`)
// instead of letting NaN flow into latencies and costs. Objects are strict, so a misspelt key
// is an error rather than a silently ignored override.

import { z } from 'zod';
import { CACHING_MODES, QUOTA_KINDS, ROUTING_POLICIES, type ProviderConfig } from './config.ts';
import { QUOTA_DIMENSIONS } from './types.ts';

const nonNegative = z.number().nonnegative();
const positive = z.number().positive();
const probability = z.number().min(0).max(1);
const count = z.int().positive();
/**
 * Limits the profiles leave unlimited are Infinity in code. JSON writes Infinity as null (GET
 * /admin/config does), so null reads back as unlimited: a fetched config can be sent back whole.
 */
const positiveOrUnlimited = z.union([positive, z.literal(Number.POSITIVE_INFINITY), z.null().transform(() => Number.POSITIVE_INFINITY)]);

const prices = z.strictObject({ input: nonNegative, output: nonNegative, cacheWrite5m: nonNegative, cacheWrite1h: nonNegative, cacheRead: nonNegative });

const modelSpec = z.strictObject({
  prices,
  minCacheableTokens: z.int().nonnegative(),
  tokenizer: z.string().min(1),
  tokenInflation: positive,
  maxOutputTokens: z.int().positive().optional(),
  cacheReadsCountTowardInput: z.boolean().optional(),
});

const quota = z.strictObject({
  name: z.string().min(1),
  dimension: z.enum(QUOTA_DIMENSIONS),
  kind: z.enum(QUOTA_KINDS),
  limit: positiveOrUnlimited,
  windowMs: positive,
});

const faultWindow = z
  .strictObject({ fromMs: z.number(), toMs: z.number(), overloadRate: probability, errorRate: probability.optional(), extraLatencyMs: nonNegative })
  .refine((w) => w.toMs > w.fromMs, { message: 'toMs must be after fromMs', path: ['toMs'] });

export const providerConfigSchema = z
  .strictObject({
    profile: z.string().min(1),
    wire: z.enum(['anthropic', 'openai']),
    caching: z.strictObject({
      mode: z.enum(CACHING_MODES),
      incrementTokens: count,
      // OpenAI has neither (0): it caches every prompt's longest prefix.
      maxBreakpoints: z.int().nonnegative(),
      lookbackBlocks: z.int().nonnegative(),
      ttlMs: z.strictObject({ '5m': positive, '1h': positive }),
      extendedRetentionMs: positive,
      refreshOnHit: z.boolean(),
      scope: z.enum(['organisation', 'global']),
    }),
    nodes: z.strictObject({ count, capacityTokens: positive, concurrency: count }),
    routing: z.strictObject({
      policy: z.enum(ROUTING_POLICIES),
      affinityPrefixTokens: count,
      overflowPerMinute: positiveOrUnlimited,
      overflowWhenSaturated: z.boolean(),
    }),
    quotas: z.array(quota).refine((qs) => new Set(qs.map((q) => q.name)).size === qs.length, { message: 'quota names must be unique' }),
    cacheReadsCountTowardInput: z.boolean(),
    models: z.record(z.string().min(1), modelSpec).refine((m) => Object.keys(m).length > 0, { message: 'at least one model' }),
    aliases: z.record(z.string().min(1), z.string().min(1)),
    latency: z.strictObject({ baseMs: nonNegative, prefillTokensPerSec: positive, cachedTokensPerSec: positive, decodeTokensPerSec: positive }),
    faults: z.strictObject({
      overloadRate: probability,
      errorRate: probability,
      latencySpikeRate: probability,
      latencySpikeMs: nonNegative,
      windows: z.array(faultWindow),
    }),
  })
  .superRefine((config, ctx) => {
    for (const [alias, target] of Object.entries(config.aliases)) {
      if (!(target in config.models)) ctx.addIssue({ code: 'custom', path: ['aliases', alias], message: `points at "${target}", which is not in models` });
    }
  }) satisfies z.ZodType<ProviderConfig>;
