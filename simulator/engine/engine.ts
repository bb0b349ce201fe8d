// The event loop, as small as SimPy's core: pop the earliest event, advance the clock, run its
// handler, schedule what it returns. Only the engine schedules; handlers stay pure of the queue.

import { createQueue, pop, push, pushEntry, size, type EventQueue, type Scheduled } from './queue.ts';
import type { PendingTag } from './pending-tag.ts';

export interface SimEvent {
  atMs: number;
  /** Lower runs first among events at the same time (provider events before arrivals). */
  priority: number;
  /**
   * What the event does at `nowMs`, given the event itself (so one function can serve every event
   * of a kind, reading what it needs from the event, with no closure per event); returns the
   * events it schedules, in order. It may return itself, its `atMs` and `tag` set anew: the event
   * has run, so nothing else holds it, and the engine schedules it again as the next one.
   */
  run: (nowMs: number, self: SimEvent) => SimEvent | SimEvent[] | undefined | void;
  /** What the event is, as data, for a snapshot of the pending work (pending-tag.ts). */
  tag: PendingTag;
}

export interface EngineProgress {
  nowMs: number;
  events: number;
  pending: number;
}

export interface Engine {
  queue: EventQueue<SimEvent>;
  nowMs: number;
  events: number;
}

export const createEngine = (startMs: number): Engine => ({ queue: createQueue(), nowMs: startMs, events: 0 });

const inThePast = (engine: Engine, event: SimEvent): Error => new Error(`cannot schedule in the past (${event.atMs} < ${engine.nowMs})`);

export const schedule = (engine: Engine, event: SimEvent): void => {
  if (event.atMs < engine.nowMs) throw inThePast(engine, event);
  push(engine.queue, event.atMs, event.priority, event);
};

/** `schedule` for an event that returned itself: its queue entry, popped just now, goes back in. */
const scheduleAgain = (engine: Engine, entry: Scheduled<SimEvent>): void => {
  const event = entry.item;
  if (event.atMs < engine.nowMs) throw inThePast(engine, event);
  entry.atMs = event.atMs;
  entry.priority = event.priority;
  pushEntry(engine.queue, entry);
};

/**
 * Runs until the queue is empty or the next event is after `untilMs` (at or after it when
 * `inclusive` is false: a snapshot at T holds the events at T) (returns true), or until
 * `maxEvents` have run (returns false), so a caller can yield to I/O between slices.
 */
export const runUntil = (engine: Engine, untilMs: number, maxEvents = Number.POSITIVE_INFINITY, inclusive = true): boolean => {
  for (let n = 0; n < maxEvents; n++) {
    const head = engine.queue.heap[0];
    if (head === undefined || head.atMs > untilMs || (!inclusive && head.atMs === untilMs)) return true;
    const next = pop(engine.queue)!;
    engine.nowMs = next.atMs;
    engine.events++;
    const followUps = next.item.run(next.atMs, next.item);
    if (followUps === undefined) continue;
    if (Array.isArray(followUps)) {
      for (const event of followUps) {
        if (event === next.item) scheduleAgain(engine, next);
        else schedule(engine, event);
      }
    } else if (followUps === next.item) scheduleAgain(engine, next);
    else schedule(engine, followUps);
  }
  return false;
};

/** The pending events in the order they will run (time, priority, then scheduling order). */
export const pendingInOrder = (engine: Engine): SimEvent[] =>
  [...engine.queue.heap]
    .sort((a, b) => (a.atMs !== b.atMs ? a.atMs - b.atMs : a.priority !== b.priority ? a.priority - b.priority : a.seq - b.seq))
    .map((s) => s.item);

export const progressOf = (engine: Engine): EngineProgress => ({ nowMs: engine.nowMs, events: engine.events, pending: size(engine.queue) });
