// One provider event, validated field by field before the model sees it: a scenario's `events`
// and the body of the mock provider's POST /admin/events. (The model's own checks catch references
// to nodes, models or quotas that do not exist.)

import { z } from 'zod';
import { QUOTA_KINDS } from './config.ts';
import { PROVIDER_EVENT_KINDS, type ProviderEvent } from './events.ts';
import { CACHE_TTLS, QUOTA_DIMENSIONS } from './types.ts';

export const providerEvent = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('tokenizer-upgrade'),
      model: z.string().min(1).optional(),
      tokenizer: z.string().min(1).optional(),
      tokenInflation: z.number().positive().optional(),
    }),
    z.strictObject({ kind: z.literal('alias-repoint'), alias: z.string().min(1), model: z.string().min(1) }),
    z.strictObject({ kind: z.literal('capacity-cut'), factor: z.number().min(0).max(1), node: z.int().min(0).optional() }),
    z.strictObject({ kind: z.literal('ttl-change'), ttl: z.enum(CACHE_TTLS), ttlMs: z.number().positive() }),
    z.strictObject({
      kind: z.literal('quota-change'),
      quota: z.string().min(1),
      changes: z.strictObject({
        dimension: z.enum(QUOTA_DIMENSIONS).optional(),
        kind: z.enum(QUOTA_KINDS).optional(),
        limit: z.number().positive().optional(),
        windowMs: z.number().positive().optional(),
      }),
    }),
    z.strictObject({ kind: z.literal('node-drain'), node: z.int().min(0) }),
    z
      .strictObject({
        kind: z.literal('faults'),
        overloadRate: z.number().min(0).max(1).optional(),
        errorRate: z.number().min(0).max(1).optional(),
        latencySpikeRate: z.number().min(0).max(1).optional(),
        latencySpikeMs: z.number().nonnegative().optional(),
      })
      .refine((e) => Object.keys(e).length > 1, { message: 'name at least one of overloadRate, errorRate, latencySpikeRate, latencySpikeMs' }),
  ],
  { error: `expected one of ${PROVIDER_EVENT_KINDS.join(', ')}` },
) satisfies z.ZodType<ProviderEvent>;
