// The one place ledger rows are written. For every model route, an onRequest hook opens the
// exchange and waits for the response's `close`: Node emits it once per response whether it
// finished, was hijacked for streaming (fastify skips onResponse then) or the client went away,
// so every request, 2xx or 4xx or 5xx, streamed or not, yields exactly one row.

import type { onRequestHookHandler } from 'fastify';
import { openExchange, rowFor } from './exchange.ts';

const CLIENT_CLOSED_REQUEST = 499;

export const ledgerHook: onRequestHookHandler = function (request, reply, done) {
  if (request.routeOptions.config.ledger !== true) {
    done();
    return;
  }
  const { mock } = this;
  const exchange = openExchange(mock, request);
  request.exchange = exchange;
  mock.ledger.begin();
  reply.raw.once('close', () => {
    // A client that left before any answer was sent gets nginx's 499 ("client closed request").
    const status = reply.raw.headersSent ? reply.raw.statusCode : CLIENT_CLOSED_REQUEST;
    mock.ledger.write(rowFor(mock, exchange, status));
    mock.ledger.end();
  });
  done();
};
