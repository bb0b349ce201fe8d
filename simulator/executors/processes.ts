// Executors with k6's names and meanings, as simulator processes: each returns its first events;
// every event schedules the next, so nothing proportional to the run's length is held in memory.

import { parseDuration } from '../../scenarios/kit/durations.ts';
import type { Executor, ExecutorName, RequestBuilder, ThinkTime } from '../../scenarios/kit/format.ts';
import { PRIORITY, sendAttempt, type OnDone, type RunContext } from '../client.ts';
import type { SimEvent } from '../engine/engine.ts';
import type { Rng } from '../../core/model/rng.ts';
import { iterationStreams, stream } from '../../core/random/streams.ts';
import { arrivalOffsetMs, arrivalStages, thinkMs, vuActiveIntervals } from '../../scenarios/kit/timeline.ts';

interface Process {
  context: RunContext;
  name: string;
  executor: Executor;
  startMs: number;
  rngFor: (iterationInTest: number) => Rng;
}

/** Builds and sends iteration `k`; `onDone` continues a VU after the final answer. */
const iterate = (p: Process, k: number, nowMs: number, onDone?: OnDone): SimEvent[] | undefined => {
  const build: RequestBuilder = p.executor.build;
  const request = build(k, nowMs - p.context.startMs, p.rngFor(k));
  if (request === null) return onDone?.(nowMs);
  return sendAttempt(p.context, p.name, p.executor.client, k, request, 0, nowMs, onDone);
};

const arrivalRate = (p: Process): SimEvent[] => {
  const stages = arrivalStages(p.executor);
  if (stages === undefined) throw new Error(`${p.name}: not an arrival-rate executor`);
  const at = (k: number): SimEvent[] => {
    const offset = arrivalOffsetMs(stages, k);
    if (offset === undefined || p.startMs + offset >= p.context.endMs) return [];
    return [
      {
        atMs: p.startMs + offset,
        priority: PRIORITY.arrival,
        run: (nowMs) => {
          const next = at(k + 1);
          const followUps = iterate(p, k, nowMs);
          if (followUps !== undefined) for (const e of followUps) next.push(e);
          return next;
        },
      },
    ];
  };
  return at(0);
};

/** A VU loop over its active intervals; the shared counter gives k6's iterationInTest. */
const vuLoops = (p: Process, vus: number, intervalsOf: (vu: number) => Array<[number, number]>, iterationsPerVu: number): SimEvent[] => {
  const e = p.executor as Extract<Executor, { thinkTime?: ThinkTime }>;
  let nextIteration = 0;
  const events: SimEvent[] = [];
  for (let vu = 1; vu <= vus; vu++) {
    const intervals = intervalsOf(vu).map(([from, to]): [number, number] => [p.startMs + from, Math.min(p.startMs + to, p.context.endMs)]);
    let done = 0;
    const startAt = (nowMs: number): SimEvent[] => {
      const live = intervals.find(([, to]) => nowMs < to);
      if (live === undefined || done >= iterationsPerVu) return [];
      const atMs = Math.max(nowMs, live[0]);
      return [
        {
          atMs,
          priority: PRIORITY.arrival,
          run: (at) => {
            const k = nextIteration++;
            done++;
            const rng: Rng = stream(p.context.seed, `think:${p.name}:${k}`);
            // A VU that sent nothing still moves on by at least 1 ms, so it cannot spin in place.
            return iterate(p, k, at, (doneAtMs) => startAt(Math.max(doneAtMs + thinkMs(e.thinkTime, rng), at + 1)));
          },
        },
      ];
    };
    events.push(...startAt(p.startMs));
  }
  return events;
};

const PROCESSES = {
  'constant-arrival-rate': arrivalRate,
  'ramping-arrival-rate': arrivalRate,
  'constant-vus': (p) => {
    const e = p.executor as Extract<Executor, { executor: 'constant-vus' }>;
    return vuLoops(p, e.vus, () => [[0, parseDuration(e.duration)]], Number.POSITIVE_INFINITY);
  },
  'ramping-vus': (p) => {
    const e = p.executor as Extract<Executor, { executor: 'ramping-vus' }>;
    const stages = e.stages.map((s) => ({ target: s.target, durationMs: parseDuration(s.duration) }));
    const peak = Math.max(e.startVUs ?? 0, ...stages.map((s) => s.target));
    return vuLoops(p, Math.ceil(peak), (vu) => vuActiveIntervals(e.startVUs ?? 0, stages, vu), Number.POSITIVE_INFINITY);
  },
  'per-vu-iterations': (p) => {
    const e = p.executor as Extract<Executor, { executor: 'per-vu-iterations' }>;
    return vuLoops(p, e.vus, () => [[0, parseDuration(e.maxDuration ?? '10m')]], e.iterations);
  },
} satisfies Record<ExecutorName, (p: Process) => SimEvent[]>;

export const startExecutor = (context: RunContext, name: string, executor: Executor): SimEvent[] =>
  PROCESSES[executor.executor]({
    context,
    name,
    executor,
    startMs: context.startMs + parseDuration(executor.startTime ?? 0),
    rngFor: iterationStreams(context.seed, name),
  });

