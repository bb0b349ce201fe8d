// The one place ledger rows are written. For every model route, an onRequest hook opens the
// exchange and waits for the response's `close`: Node emits it once per response whether it
// finished, was hijacked for streaming (fastify skips onResponse then) or the client went away,
// so every request, 2xx or 4xx or 5xx, streamed or not, yields exactly one row.

import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { abandonedOutcome, CLIENT_CLOSED_REQUEST } from './abandoned.ts';
import { openExchange, rowFor } from './exchange.ts';
import { rejectedOutcome } from '../core/model/provider.ts';

export const DRAINING_MESSAGE = 'Overloaded: the server is shutting down';

/** The request arrived while the server drains (ledger-hook.ts set its 529 outcome). */
export const refusedWhileDraining = (request: FastifyRequest): boolean => request.exchange?.refusedDraining === true;

export const ledgerHook: onRequestHookHandler = function (request, reply, done) {
  if (request.routeOptions.config.ledger !== true) {
    done();
    return;
  }
  const { mock, model } = this;
  const exchange = openExchange(mock, request);
  request.exchange = exchange;
  // Arrived while the server drains: the wire plugins refuse it as an overload (the ledger's 529,
  // as for the model's own overloads), with this row.
  if (mock.draining) {
    exchange.refusedDraining = true;
    exchange.outcome = rejectedOutcome(529, { kind: 'overloaded', message: DRAINING_MESSAGE });
  }
  mock.ledger.begin();
  reply.raw.once('close', () => {
    // A client that left before the answer was complete gets nginx's 499 ("client closed
    // request"), billed for what the provider had done by then (abandoned.ts).
    const outcome = exchange.outcome;
    const prices = outcome === undefined ? undefined : model.state.config.models[outcome.model]?.prices;
    if (!reply.raw.writableEnded && outcome?.status === 200 && prices !== undefined) {
      exchange.outcome = abandonedOutcome(outcome, mock.clock.nowMs() - exchange.atMs, prices);
    }
    const status = reply.raw.headersSent ? reply.raw.statusCode : CLIENT_CLOSED_REQUEST;
    mock.ledger.write(rowFor(mock, exchange, status));
    mock.ledger.end();
  });
  done();
};
