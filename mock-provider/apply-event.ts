// Applies a provider event to the live model and records it as a ledger event row: the one path
// for POST /admin/events and for a scenario's scheduled events.

import type { FastifyInstance } from 'fastify';
import { eventRow, type EventRow } from '../core/ledger/row.ts';
import { applyEvent, describeEvent, type ProviderEvent, type TimedEvent } from '../core/model/events.ts';

/** Throws (naming the field) when the event refers to a model, node or quota that does not exist. */
export const applyProviderEvent = (app: FastifyInstance, event: ProviderEvent, atMs = app.mock.clock.nowMs()): EventRow => {
  applyEvent(app.model.state, event);
  // A request sent before it but seen after it is the model's from then on (sent-at.ts).
  app.mock.lastModelMs = Math.max(app.mock.lastModelMs, atMs);
  const row = eventRow(app.mock, atMs, 'provider', event.kind, describeEvent(event));
  app.mock.ledger.write(row);
  return row;
};


/**
 * A scenario's provider events, applied when provider time reaches them. One timer at a time, for
 * the next event; the timers do not keep the process alive and stop when the app closes.
 */
export const scheduleEvents = (app: FastifyInstance, events: readonly TimedEvent[]): void => {
  const queue = [...events].sort((a, b) => a.atMs - b.atMs);
  let timer: NodeJS.Timeout | undefined;
  const next = (): void => {
    const nowMs = app.mock.clock.nowMs();
    while (queue.length > 0 && queue[0].atMs <= nowMs) {
      const due = queue.shift() as TimedEvent;
      try {
        applyProviderEvent(app, due.event, due.atMs);
      } catch (error) {
        app.log.error({ err: error, event: due.event }, 'scheduled provider event failed');
      }
    }
    if (queue.length === 0) return;
    timer = setTimeout(next, Math.max(1, app.mock.clock.toWallMs(queue[0].atMs - nowMs)));
    timer.unref();
  };
  app.addHook('onReady', async () => next());
  app.addHook('onClose', async () => clearTimeout(timer));
};
