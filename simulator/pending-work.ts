// The simulator's part of a state snapshot: the client work pending at the snapshot's time (next
// arrivals, VUs about to start an iteration, retries waiting), in the order the engine would run
// it, and each VU executor's iteration counter. Scheduling it again on a fresh engine, in that
// order, reproduces the uninterrupted run: events at equal times keep their relative order.

import { z } from 'zod';
import { parseDuration } from '../scenarios/kit/durations.ts';
import type { ScenarioSpec } from '../scenarios/kit/format.ts';
import { SnapshotError } from '../core/model/snapshot.ts';
import { PRIORITY, retryEvent, type RunContext } from './client.ts';
import { eventRow } from '../core/ledger/row.ts';
import { pendingInOrder, type Engine, type SimEvent } from './engine/engine.ts';
import type { PendingTag } from './engine/pending-tag.ts';
import { arrivalEvent, vuContinuation, vuEvent, type Process } from './executors/processes.ts';
import { applyEvent, describeEvent } from '../core/model/events.ts';

export interface PendingWork {
  events: Array<{ atMs: number; tag: PendingTag }>;
  /** Per VU executor, the next iterationInTest. */
  counters: Record<string, number>;
}

const vuRef = z.strictObject({ vu: z.int(), done: z.int() });
const tag = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('provider-event'), index: z.int() }),
  z.strictObject({ kind: z.literal('phase'), index: z.int() }),
  z.strictObject({ kind: z.literal('arrival'), traffic: z.string(), k: z.int() }),
  z.strictObject({ kind: z.literal('vu'), traffic: z.string(), vu: z.int(), done: z.int() }),
  z.strictObject({ kind: z.literal('retry'), traffic: z.string(), k: z.int(), attempt: z.int(), iterationAtMs: z.number(), vu: vuRef.optional() }),
]);
const pendingWork = z.strictObject({ events: z.array(z.strictObject({ atMs: z.number(), tag })), counters: z.record(z.string(), z.int()) });

export const pendingWorkOf = (engine: Engine, processes: ReadonlyMap<string, Process>): PendingWork => ({
  // Tags copied: an arrival's event (and its tag) becomes the next arrival once it has run.
  events: pendingInOrder(engine).map((e) => ({ atMs: e.atMs, tag: { ...e.tag } })),
  counters: Object.fromEntries([...processes].map(([name, p]) => [name, p.counter.next])),
});

/** The scenario's provider event `index`, applied and recorded as at the start of a run. */
export const providerEventAt = (context: RunContext, spec: ScenarioSpec, index: number): SimEvent => ({
  atMs: context.startMs + parseDuration(spec.events![index].at),
  priority: PRIORITY.providerEvent,
  tag: { kind: 'provider-event', index },
  run: (nowMs) => {
    const { event } = spec.events![index];
    applyEvent(context.provider, event);
    context.emit(eventRow(context, nowMs, 'provider', event.kind, describeEvent(event)));
  },
});

export const phaseAt = (context: RunContext, spec: ScenarioSpec, index: number): SimEvent => ({
  atMs: context.startMs + parseDuration(spec.phases![index].at),
  priority: PRIORITY.phase,
  tag: { kind: 'phase', index },
  run: (nowMs) => context.emit(eventRow(context, nowMs, 'phase', 'phase', spec.phases![index].label)),
});

/** The events of a snapshot's pending work, rebuilt in order; throws SnapshotError on a tag this scenario cannot have. */
export const pendingEvents = (json: unknown, context: RunContext, spec: ScenarioSpec, processes: ReadonlyMap<string, Process>): SimEvent[] => {
  const parsed = pendingWork.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SnapshotError(`clients.${issue.path.join('.')}: ${issue.message}`);
  }
  const processOf = (name: string): Process => {
    const p = processes.get(name);
    if (p === undefined) throw new SnapshotError(`clients: traffic "${name}" is not in this scenario variant (it has ${[...processes.keys()].join(', ')})`);
    return p;
  };
  for (const [name, next] of Object.entries(parsed.data.counters)) processOf(name).counter.next = next;
  const rebuilt: SimEvent[] = [];
  for (const { atMs, tag: t } of parsed.data.events) {
    let event: SimEvent | undefined;
    switch (t.kind) {
      case 'provider-event':
        event = providerEventAt(context, spec, t.index);
        break;
      case 'phase':
        event = phaseAt(context, spec, t.index);
        break;
      case 'arrival':
        event = arrivalEvent(processOf(t.traffic), t.k)[0];
        break;
      case 'vu':
        event = vuEvent(processOf(t.traffic), t.vu, t.done, atMs)[0];
        break;
      case 'retry': {
        const p = processOf(t.traffic);
        // The builder is pure: the iteration's own time and stream rebuild the request it sent.
        const request = p.executor.build(t.k, t.iterationAtMs - context.startMs, p.rngFor(t.k));
        if (request === null) throw new SnapshotError(`clients: iteration ${t.k} of "${t.traffic}" sends nothing, yet a retry of it is pending`);
        const origin = { iterationAtMs: t.iterationAtMs, ...(t.vu === undefined ? {} : { vu: t.vu }) };
        const onDone = t.vu === undefined ? undefined : vuContinuation(p, t.vu, t.k, t.iterationAtMs);
        event = retryEvent(context, t.traffic, p.executor.client, t.k, request, t.attempt, atMs, origin, onDone);
        break;
      }
    }
    if (event === undefined || event.atMs !== atMs) throw new SnapshotError(`clients: a pending ${t.kind} at ${atMs} does not follow from this scenario variant`);
    rebuilt.push(event);
  }
  return rebuilt;
};
