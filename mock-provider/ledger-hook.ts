// The one place ledger rows are written. For every model route, an onRequest hook opens the
// exchange (who sent the request: its key's organisation and the x-cachecast-* headers) and waits
// for the response's `close`: Node emits it once per response whether it
// finished, was hijacked for streaming (fastify skips onResponse then) or the client went away,
// so every request, 2xx or 4xx or 5xx, streamed or not, yields exactly one row.

import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { RequestRow } from '../core/ledger/row.ts';
import { toRequestRow } from '../core/ledger/to-row.ts';
import type { Outcome } from '../core/model/types.ts';
import { apiKeyOf, type KeyBook, type KeyResolution, organisationFor } from './auth.ts';
import type { Exchange, MockRuntime } from './runtime.ts';
import { abandonedOutcome, CLIENT_CLOSED_REQUEST } from './abandoned.ts';
import { SENT_AT_HEADER, sentAtOf } from './sent-at.ts';
import { rejectedOutcome } from '../core/model/provider.ts';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

const attemptOf = (request: FastifyRequest): number => {
  // The official SDKs number their retries in x-stainless-retry-count; ours wins when both are sent.
  const value = Number(header(request, 'x-cachecast-attempt') ?? header(request, 'x-stainless-retry-count') ?? 0);
  return Number.isInteger(value) && value >= 0 ? value : 0;
};

const outputTokensOf = (request: FastifyRequest): number | undefined => {
  const value = Number(header(request, 'x-cachecast-output-tokens') ?? Number.NaN);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
};

// The last key resolved, for the next request that sends it (a load generator sends a handful of
// keys): a resolution is a pure function of the key and the book, and reusing it also keeps one
// tenant string for all of that key's rows instead of a new one per request.
let lastBook: KeyBook | undefined;
let lastKey: string | undefined;
let lastResolved: KeyResolution | undefined;
const resolve = (key: string, book: KeyBook): KeyResolution => {
  if (key !== lastKey || book !== lastBook) {
    lastResolved = organisationFor(key, book);
    lastKey = key;
    lastBook = book;
  }
  return lastResolved as KeyResolution;
};

export const openExchange = (mock: MockRuntime, request: FastifyRequest): Exchange => {
  const key = apiKeyOf(request.headers);
  const resolved = key === undefined ? undefined : resolve(key, mock.keys);
  return {
    atMs: mock.clock.nowMs(),
    tenant: resolved?.organisation,
    keyRefused: resolved?.refused,
    keyUnknown: resolved?.unknown === true,
    session: header(request, 'x-cachecast-session') ?? '',
    class: header(request, 'x-cachecast-class') ?? 'interactive',
    attempt: attemptOf(request),
    wantedOutputTokens: outputTokensOf(request),
    sentAtWallMs: mock.clientSendTimes ? sentAtOf(header(request, SENT_AT_HEADER)) : undefined,
  };
};

/** The row for an exchange: the model's outcome, or an edge rejection (401, 400, 413) with the HTTP status. */
export const rowFor = (mock: MockRuntime, exchange: Exchange, httpStatus: number): RequestRow => {
  const outcome: Outcome = exchange.outcome ?? rejectedOutcome(httpStatus, undefined);
  const context = {
    scenario: mock.scenario,
    variant: mock.variant,
    tenant: exchange.tenant ?? '',
    session: exchange.session,
    class: exchange.class,
    attempt: exchange.attempt,
  };
  return toRequestRow(context, outcome, exchange.atMs);
};

export const DRAINING_MESSAGE = 'Overloaded: the server is shutting down';

/** The request arrived while the server drains (ledger-hook.ts set its 529 outcome). */
export const refusedWhileDraining = (request: FastifyRequest): boolean => request.exchange?.refusedDraining === true;

/**
 * The model routes' first onRequest hook (a route hook, before the wire's own gate, which reads the
 * exchange). Given to those routes alone rather than app-wide: an app hook asking each request's
 * `routeOptions` whether it writes a row built that options object for every request.
 */
export const ledgerHook: onRequestHookHandler = function (request, reply, done) {
  const { mock } = this;
  const exchange = openExchange(mock, request);
  request.exchange = exchange;
  // Arrived while the server drains: the wire plugins refuse it as an overload (the ledger's 529,
  // as for the model's own overloads), with this row.
  if (mock.draining) {
    exchange.refusedDraining = true;
    exchange.outcome = rejectedOutcome(529, { kind: 'overloaded', message: DRAINING_MESSAGE });
  }
  mock.ledger.begin();
  // One listener function for every response, reading its exchange and app from the response
  // (Node emits `close` once per response), rather than a closure and a `once` wrapper per request.
  const raw = reply.raw as ExchangeResponse;
  raw[EXCHANGE] = exchange;
  raw[APP] = this;
  raw.on('close', writeRow);
  done();
};

const EXCHANGE = Symbol('exchange');
const APP = Symbol('app');
type ExchangeResponse = ServerResponse & { [EXCHANGE]: Exchange | undefined; [APP]: FastifyInstance };

function writeRow(this: ExchangeResponse): void {
  const exchange = this[EXCHANGE];
  // Exactly one row, as `once` guaranteed, should a response ever emit `close` twice.
  if (exchange === undefined) return;
  this[EXCHANGE] = undefined;
  const { mock, model } = this[APP];
  // A client that left before the answer was complete gets nginx's 499 ("client closed
  // request"), billed for what the provider had done by then (abandoned.ts).
  const outcome = exchange.outcome;
  const prices = outcome === undefined ? undefined : model.state.config.models[outcome.model]?.prices;
  if (!this.writableEnded && outcome?.status === 200 && prices !== undefined) {
    exchange.outcome = abandonedOutcome(outcome, mock.clock.nowMs() - exchange.atMs, prices);
  }
  const status = this.headersSent ? this.statusCode : CLIENT_CLOSED_REQUEST;
  mock.ledger.write(rowFor(mock, exchange, status));
  mock.ledger.end();
}
