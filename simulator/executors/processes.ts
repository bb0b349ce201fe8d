// Executors with k6's names and meanings, as simulator processes: each returns its first events;
// every event schedules the next, so nothing proportional to the run's length is held in memory.

import { parseDuration } from '../../scenarios/kit/durations.ts';
import type { Executor, ExecutorName, RequestBuilder, ThinkTime } from '../../scenarios/kit/format.ts';
import { PRIORITY, sendAttempt, type OnDone, type RunContext } from '../client.ts';
import type { SimEvent } from '../engine/engine.ts';
import type { PendingTag } from '../engine/pending-tag.ts';
import type { Rng } from '../../core/model/rng.ts';
import { iterationStreams, thinkStream } from '../../core/random/streams.ts';
import { builtRequestProblem, ScenarioFormatError } from '../../scenarios/kit/validate.ts';
import { arrivalOffsetMs, arrivalStages, type RateStage, thinkMs, vuActiveIntervals } from '../../scenarios/kit/timeline.ts';

export interface Process {
  context: RunContext;
  name: string;
  executor: Executor;
  startMs: number;
  rngFor: (iterationInTest: number) => Rng;
  /** VU executors: the next iterationInTest, shared by the VUs (k6's counter). */
  counter: { next: number };
  /** VU executors: each VU's active intervals in provider time, computed once per VU. */
  intervals: Map<number, Array<[number, number]>>;
  /** Arrival-rate executors: the rate's stages, parsed once (undefined for VU executors). */
  stages: RateStage[] | undefined;
}

/** Builds and sends iteration `k` (it began at `atMs`); `onDone` continues a VU after the final answer. */
const iterate = (p: Process, k: number, atMs: number, vu?: { vu: number; done: number }, onDone?: OnDone): SimEvent[] | undefined => {
  const build: RequestBuilder = p.executor.build;
  const request = build(k, atMs - p.context.startMs, p.rngFor(k));
  if (request === null) return onDone?.(atMs);
  const problem = builtRequestProblem(request);
  if (problem !== undefined) throw new ScenarioFormatError(`traffic "${p.name}": build(${k}) returned a bad request: ${problem}`);
  return sendAttempt(p.context, p.name, p.executor.client, k, request, 0, atMs, atMs, vu, onDone);
};

/** An arrival's event: it carries its process, so one function (`runArrival`) serves every arrival. */
interface ArrivalEvent extends SimEvent {
  tag: Extract<PendingTag, { kind: 'arrival' }>;
  process: Process;
}

/** The provider time of arrival `k`, or undefined when the schedule has ended. */
const arrivalAtMs = (p: Process, k: number): number | undefined => {
  const stages = p.stages;
  if (stages === undefined) throw new Error(`${p.name}: not an arrival-rate executor`);
  const offset = arrivalOffsetMs(stages, k);
  if (offset === undefined || p.startMs + offset >= p.context.endMs) return undefined;
  return p.startMs + offset;
};

/** The event of arrival `k` (none when the schedule has ended), as a list. */
export const arrivalEvent = (p: Process, k: number): SimEvent[] => {
  const atMs = arrivalAtMs(p, k);
  if (atMs === undefined) return [];
  const event: ArrivalEvent = { atMs, priority: PRIORITY.arrival, tag: { kind: 'arrival', traffic: p.name, k }, run: runArrival, process: p };
  return [event];
};

/**
 * What an arrival does: schedule the next arrival, then send its iteration. One function for
 * every arrival, reading its process and iteration from the event: a closure made per arrival
 * was, with the list it returned, three objects more for every simulated request. The event,
 * run, becomes the next arrival (engine.ts: an event may return itself), so an arrival costs
 * the schedule no object at all.
 */
const runArrival = (nowMs: number, self: SimEvent): SimEvent | SimEvent[] | undefined => {
  const event = self as ArrivalEvent;
  const p = event.process;
  const k = event.tag.k;
  const nextAtMs = arrivalAtMs(p, k + 1);
  if (nextAtMs !== undefined) {
    event.atMs = nextAtMs;
    event.tag.k = k + 1;
  }
  const next = nextAtMs === undefined ? undefined : event;
  const followUps = iterate(p, k, nowMs);
  if (followUps === undefined || followUps.length === 0) return next;
  return next === undefined ? followUps : [next, ...followUps];
};

interface VuShape {
  vus: number;
  intervalsOf: (vu: number) => Array<[number, number]>;
  iterationsPerVu: number;
}

const vuShape = (executor: Executor): VuShape | undefined => {
  switch (executor.executor) {
    case 'constant-vus':
      return { vus: executor.vus, intervalsOf: () => [[0, parseDuration(executor.duration)]], iterationsPerVu: Number.POSITIVE_INFINITY };
    case 'ramping-vus': {
      const stages = executor.stages.map((s) => ({ target: s.target, durationMs: parseDuration(s.duration) }));
      const peak = Math.max(executor.startVUs ?? 0, ...stages.map((s) => s.target));
      return { vus: Math.ceil(peak), intervalsOf: (vu) => vuActiveIntervals(executor.startVUs ?? 0, stages, vu), iterationsPerVu: Number.POSITIVE_INFINITY };
    }
    case 'per-vu-iterations':
      return { vus: executor.vus, intervalsOf: () => [[0, parseDuration(executor.maxDuration ?? '10m')]], iterationsPerVu: executor.iterations };
    default:
      return undefined;
  }
};

/** VU `vu`'s next iteration at or after `nowMs`, having started `done`; none once its intervals or iterations run out. */
export const vuEvent = (p: Process, vu: number, done: number, nowMs: number): SimEvent[] => {
  const shape = vuShape(p.executor);
  if (shape === undefined) throw new Error(`${p.name}: not a VU executor`);
  let intervals = p.intervals.get(vu);
  if (intervals === undefined) {
    intervals = shape.intervalsOf(vu).map(([from, to]): [number, number] => [p.startMs + from, Math.min(p.startMs + to, p.context.endMs)]);
    p.intervals.set(vu, intervals);
  }
  const live = intervals.find(([, to]) => nowMs < to);
  if (live === undefined || done >= shape.iterationsPerVu) return [];
  return [
    {
      atMs: Math.max(nowMs, live[0]),
      priority: PRIORITY.arrival,
      tag: { kind: 'vu', traffic: p.name, vu, done },
      run: (at) => {
        const k = p.counter.next++;
        const origin = { vu, done: done + 1 };
        return iterate(p, k, at, origin, vuContinuation(p, origin, k, at));
      },
    },
  ];
};

/** What a VU does after iteration `k` (begun at `atMs`) has its final answer: think, then go on. */
export const vuContinuation =
  (p: Process, { vu, done }: { vu: number; done: number }, k: number, atMs: number): OnDone =>
  (doneAtMs) => {
    const e = p.executor as Extract<Executor, { thinkTime?: ThinkTime }>;
    const rng: Rng = thinkStream(p.context.seed, p.name, k);
    // A VU that sent nothing still moves on by at least 1 ms, so it cannot spin in place.
    return vuEvent(p, vu, done, Math.max(doneAtMs + thinkMs(e.thinkTime, rng), atMs + 1));
  };

const vuLoops = (p: Process): SimEvent[] => {
  const events: SimEvent[] = [];
  for (let vu = 1; vu <= vuShape(p.executor)!.vus; vu++) events.push(...vuEvent(p, vu, 0, p.startMs));
  return events;
};

const PROCESSES = {
  'constant-arrival-rate': (p) => arrivalEvent(p, 0),
  'ramping-arrival-rate': (p) => arrivalEvent(p, 0),
  'constant-vus': vuLoops,
  'ramping-vus': vuLoops,
  'per-vu-iterations': vuLoops,
} satisfies Record<ExecutorName, (p: Process) => SimEvent[]>;

export const createProcess = (context: RunContext, name: string, executor: Executor): Process => ({
  context,
  name,
  executor,
  startMs: context.startMs + parseDuration(executor.startTime ?? 0),
  rngFor: iterationStreams(context.seed, name),
  counter: { next: 0 },
  intervals: new Map(),
  stages: arrivalStages(executor),
});

export const startExecutor = (process: Process): SimEvent[] => PROCESSES[process.executor.executor](process);

