// What every plugin of one mock-provider app shares, attached with `decorate`: the provider model
// (`app.model`, swapped whole on reset) and the runtime around it (`app.mock`).

import type { ProviderConfig } from '../core/model/config.ts';
import type { ProviderState } from '../core/model/provider.ts';
import type { Rng } from '../core/model/rng.ts';
import type { TotalsAccumulator } from '../core/ledger/totals.ts';
import type { KeyBook } from './auth.ts';
import type { TenantBook } from './tenants.ts';
import type { Clock } from './clock.ts';
import type { Outcome } from '../core/model/types.ts';
import type { LedgerSink } from './ledger-sink.ts';
import type { Metrics } from './prometheus.ts';
import type { StreamOverloadMode } from './options.ts';
import type { TextGenerator } from './text.ts';
import type { DescribeText } from '../core/wire/text-memo.ts';

export interface ModelHolder {
  state: ProviderState;
  /** The config the app was built with; POST /admin/reset returns to it. */
  readonly initialConfig: ProviderConfig;
}

/** One model request at the edge: who sent it and what the model answered; becomes one ledger row. */
export interface Exchange {
  /** Provider time: arrival, then the moment the model saw the request. */
  atMs: number;
  /** Organisation of the API key; undefined when the request carried none or a refused one. */
  tenant: string | undefined;
  /** Why the key was refused (401); undefined when it was missing or accepted. */
  keyRefused?: string;
  /** The refused key is simply not one the server knows (the providers' plain invalid-key 401). */
  keyUnknown?: boolean;
  /** Arrived while the server drains: refused as an overload. */
  refusedDraining?: boolean;
  session: string;
  class: string;
  attempt: number;
  /** `x-cachecast-output-tokens`: the output length a replayed scenario request asks for. */
  wantedOutputTokens: number | undefined;
  /** `x-cachecast-sent-at`: the wall instant the client sent it; undefined unless `clientSendTimes` (sent-at.ts). */
  sentAtWallMs: number | undefined;
  outcome?: Outcome;
}

export interface MockRuntime {
  clock: Clock;
  seed: string;
  scenario: string;
  variant: string;
  /** The stream the model draws routing and fault decisions from. */
  providerRng: Rng;
  outputTokens: (rng: Rng) => number;
  /** Hash and token count of a text on each wire (each wire has its own tokenizer). */
  describeText: { anthropic: DescribeText; openai: DescribeText };
  text: TextGenerator;
  ledger: LedgerSink;
  metrics: Metrics;
  totals: TotalsAccumulator;
  keys: KeyBook;
  /** Organisations the model keeps state for, at most `maxOrganisations`. */
  tenants: TenantBook;
  adminToken: string | undefined;
  streamOverload: StreamOverloadMode;
  bodyLimitBytes: number;
  /** Ledger followers dropped for not reading (admin/plugin.ts). */
  followersDropped: number;
  /** Set once the app starts closing: new model requests are refused in the wire's overload shape. */
  draining: boolean;
  /** Provider time the app started (or was last reset), for the summary. */
  startedAtMs: number;
  /** Model time is the client's send instant when it names one (sent-at.ts; `cachecast live`). */
  clientSendTimes: boolean;
  /** Provider time of the last request the model saw (its time only moves forward). */
  lastModelMs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    model: ModelHolder;
    mock: MockRuntime;
  }
  interface FastifyRequest {
    /** Set for model routes by the ledger hook; becomes exactly one ledger row. */
    exchange: Exchange | null;
  }
}
