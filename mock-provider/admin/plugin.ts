// /admin: apply a provider event now, read and change the config, the ledger (NDJSON, optionally
// followed live), the summary, and a reset. With an admin token set, every route requires it.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { LedgerRow } from '../../core/ledger/row.ts';
import type { RunSummary } from '../../core/ledger/run-summary.ts';
import { createTotals } from '../../core/ledger/totals.ts';
import type { DeepPartial, ProviderConfig } from '../../core/model/config.ts';
import { createProvider } from '../../core/model/provider.ts';
import { applyProviderEvent } from '../apply-event.ts';
import { eventRow } from '../../core/ledger/row.ts';
import { formatZodError } from '../../core/wire/validation.ts';
import { applyConfigOverrides } from './config.ts';
import { adminAllowed } from './token.ts';
import { providerEvent } from '../../core/model/event-schema.ts';

const badRequest = (reply: FastifyReply, message: string): FastifyReply => reply.code(400).send({ error: { type: 'invalid_request', message } });

/** Unread bytes a ledger follower may leave behind before it is dropped. */
export const FOLLOWER_BUFFER_BYTES = 4 * 1024 * 1024;

export const refuseAdmin = (reply: FastifyReply): FastifyReply =>
  reply.code(401).send({ error: { type: 'authentication_error', message: 'admin routes and /metrics need the admin token (Authorization: Bearer <token>)' } });

const ndjson = (rows: readonly LedgerRow[]): string => rows.map((row) => `${JSON.stringify(row)}\n`).join('');

export const summaryOf = (app: FastifyInstance): RunSummary => {
  const nowMs = app.mock.clock.nowMs();
  return {
    scenario: app.mock.scenario,
    variant: app.mock.variant,
    seed: app.mock.seed,
    description: 'mock provider (cachecast serve)',
    startIso: new Date(app.mock.startedAtMs).toISOString(),
    durationMs: nowMs - app.mock.startedAtMs,
    driver: 'live',
    totals: app.mock.totals.totals(),
    expectations: [],
  };
};

export const adminPlugin = async (app: FastifyInstance): Promise<void> => {
  const { mock } = app;
  app.addHook('onRequest', async (request, reply) => {
    if (!adminAllowed(mock.adminToken, request.headers)) return refuseAdmin(reply);
  });

  app.post('/admin/events', async (request, reply) => {
    const parsed = providerEvent.safeParse(request.body);
    if (!parsed.success) return badRequest(reply, formatZodError(parsed.error).message);
    try {
      return applyProviderEvent(app, parsed.data);
    } catch (error) {
      return badRequest(reply, (error as Error).message);
    }
  });

  app.get('/admin/config', async () => app.model.state.config);

  app.patch('/admin/config', async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest(reply, 'expected a JSON object of config overrides');
    try {
      const { rebuilt } = applyConfigOverrides(app.model, body as DeepPartial<ProviderConfig>);
      mock.ledger.write(eventRow(mock, mock.clock.nowMs(), 'provider', 'config-change', rebuilt ? 'config changed (nodes rebuilt, cold)' : 'config changed'));
      return { rebuilt, config: app.model.state.config };
    } catch (error) {
      return badRequest(reply, (error as Error).message);
    }
  });

  const followers = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of followers) end();
  });

  app.get<{ Querystring: { follow?: string } }>('/admin/ledger', async (request, reply) => {
    const follow = z.stringbool().catch(false).parse(request.query.follow ?? 'false');
    if (!follow) return reply.type('application/x-ndjson').send(ndjson(mock.ledger.recent()));
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
    const backlog = ndjson(mock.ledger.recent());
    raw.write(backlog);
    // A follower that does not read would make every later row wait in memory (five of them grew
    // the process by 470 MB in a minute, issue 16 item 9). Past FOLLOWER_BUFFER_BYTES unread
    // beyond the backlog, it is dropped: the connection is cut and it can reconnect.
    const bound = Buffer.byteLength(backlog) + FOLLOWER_BUFFER_BYTES;
    const unsubscribe = mock.ledger.subscribe((row) => {
      if (raw.writableLength <= bound) raw.write(`${JSON.stringify(row)}\n`);
      else {
        mock.followersDropped++;
        end();
        raw.destroy();
      }
    });
    const end = (): void => {
      unsubscribe();
      followers.delete(end);
      if (!raw.writableEnded) raw.end();
    };
    followers.add(end);
    raw.once('close', end);
  });

  app.get('/admin/summary', async () => summaryOf(app));

  app.post('/admin/reset', async () => {
    app.model.state = createProvider(app.model.initialConfig);
    mock.totals = createTotals();
    mock.metrics.reset();
    mock.tenants.clear();
    mock.startedAtMs = mock.clock.nowMs();
    const row = eventRow(mock, mock.startedAtMs, 'provider', 'reset', 'provider reset: caches, quotas and config back to start');
    mock.ledger.write(row);
    return row;
  });
};
