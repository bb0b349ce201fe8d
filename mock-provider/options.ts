// What a mock provider is built from. Defaults live here, in one object, so the CLI's help, the
// README and the factory cannot disagree.

import type { ProviderConfig } from '../core/model/config.ts';
import type { ProviderState } from '../core/model/provider.ts';
import type { Rng } from '../core/model/rng.ts';
import type { StreamState } from '../core/random/streams.ts';
import type { Clock } from './clock.ts';
import type { TokenizerKind } from '../core/wire/tokens.ts';

/** How an overload (529) reaches a streaming client. */
export const STREAM_OVERLOAD_MODES = ['mid-stream', 'status'] as const;
export type StreamOverloadMode = (typeof STREAM_OVERLOAD_MODES)[number];

export interface MockProviderOptions {
  /** The provider the server impersonates: a profile with any overrides already merged. */
  config: ProviderConfig;
  /** Provider milliseconds per wall millisecond (60: a wall second is a provider minute). */
  timeScale?: number;
  /** Provider time at start, epoch ms (default: the wall clock at start). */
  startAtMs?: number;
  /** Wall-clock instant at which provider time is `startAtMs`, shared by replicas (clock.ts). */
  epochMs?: number;
  /**
   * Start from this provider state instead of a fresh one (a snapshot restored with
   * core/model/snapshot.ts; give `startAtMs` the snapshot's time). Its config must be `config`.
   */
  state?: ProviderState;
  /** Where the provider's random stream resumes (a snapshot's `streams.provider`). */
  providerStreamState?: StreamState;
  /** Replaces the wall clock (tests use a manual clock). */
  clock?: Clock;
  /** Root of every random stream: routing, faults, output lengths, generated text. */
  seed?: string;
  tokenizer?: TokenizerKind;
  /** NDJSON ledger file, written as rows happen; none when omitted (rows stay at /admin/ledger). */
  ledgerPath?: string;
  scenario?: string;
  variant?: string;
  /** Output length a request would reach unconstrained (the scenario's distribution); capped by max_tokens. */
  outputTokens?: (rng: Rng) => number;
  /** Request bodies above this many bytes get a 413 (Anthropic documents 32 MB for Messages). */
  bodyLimitBytes?: number;
  /** API key → organisation. Keys not listed map as described in auth.ts. */
  apiKeys?: Record<string, string>;
  /** Only `apiKeys` and `cc-<org>` keys exist: any other key gets the wire's 401 (default false: it maps to org-<hash>). */
  refuseUnknownKeys?: boolean;
  /**
   * Take a request's provider time from the send instant its client names (`x-cachecast-sent-at`),
   * for a client on the same host that sends on schedule (`cachecast live`; sent-at.ts). Default false.
   */
  clientSendTimes?: boolean;
  /** Required on /admin routes when set (`Authorization: Bearer <token>` or `x-admin-token`). */
  adminToken?: string;
  /** A 529 on a streaming request: an SSE `error` event after `message_start` (the documented behaviour), or the status. */
  streamOverload?: StreamOverloadMode;
  /** Organisations the model keeps quotas for; past it the idlest is forgotten (tenants.ts). */
  maxOrganisations?: number;
  /** Organisations named in /metrics labels; later ones are summed under `other` (prometheus.ts). */
  metricOrganisations?: number;
  /** On close, connections still open after this many wall milliseconds are cut (their rows are 499s). */
  drainTimeoutMs?: number;
  /** Ledger rows kept in memory for GET /admin/ledger. */
  keepRecentRows?: number;
  /** fastify's logger (off by default: the ledger is the record). */
  logger?: boolean;
}

export const MOCK_DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  timeScale: 1,
  seed: 'cachecast',
  tokenizer: 'fast',
  scenario: 'serve',
  variant: 'default',
  outputTokens: 200,
  bodyLimitBytes: 32 * 1024 * 1024,
  streamOverload: 'mid-stream',
  keepRecentRows: 100_000,
  maxOrganisations: 10_000,
  drainTimeoutMs: 10_000,
  metricOrganisations: 50,
} as const satisfies Record<string, string | number>;
