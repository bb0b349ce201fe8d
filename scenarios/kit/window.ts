// One window of a scenario as a scenario of its own, for `cachecast live --window`: time 0 is the
// window's start, each executor keeps only the iterations that start inside the window, and each
// builder is called with the iteration's global number, global scenario time and global random
// stream, so the window sends exactly the requests the whole scenario sends in that span.
//
// Arrival-rate executors are exact: arrival k is at a known time, so the window's first arrival
// and count follow from the schedule. VU executors have no schedule (an iteration starts when the
// previous one's answer is in), so the first iteration number comes from the simulator's counter at
// the window's start (the snapshot's pending work) and the VUs run for the window's part of their
// span; a per-vu-iterations executor that began before the window is left out (its remaining
// iterations per VU are not known). Expectations are dropped: most compare against time outside the
// window; a window is judged against the same window of the simulator instead.

import { parseDuration } from './durations.ts';
import type { Executor, RequestBuilder, ScenarioSpec } from './format.ts';
import { arrivalOffsetMs, arrivalStages, executorEndMs, type RateStage } from './timeline.ts';
import { iterationRng } from '../../core/random/streams.ts';

export interface WindowMs {
  /** Offsets from the scenario's start, ms. */
  fromMs: number;
  toMs: number;
}

export interface WindowedSpec {
  spec: ScenarioSpec;
  /** Per traffic entry kept: the global number of the window's first iteration. */
  firstIteration: Record<string, number>;
  /** Per traffic entry kept, for arrival-rate executors: how many iterations the window sends. */
  iterations: Record<string, number>;
  notes: string[];
}

/** The first k whose arrival (start + offset) is at or after `bound`; `count` when none is. */
const firstArrivalAtOrAfter = (stages: readonly RateStage[], startMs: number, bound: number): number => {
  const at = (k: number): number => {
    const offset = arrivalOffsetMs(stages, k);
    return offset === undefined ? Number.POSITIVE_INFINITY : startMs + offset;
  };
  let hi = 1;
  while (at(hi) < bound) hi *= 2;
  let lo = 0;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid) < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Rate (per ms) of piecewise-linear stages at `t` ms into them. */
const rateAt = (stages: readonly RateStage[], t: number): number => {
  let offset = 0;
  for (const s of stages) {
    if (t <= offset + s.durationMs) return s.fromPerMs + ((s.toPerMs - s.fromPerMs) * (t - offset)) / Math.max(1e-9, s.durationMs);
    offset += s.durationMs;
  }
  return stages.length === 0 ? 0 : stages[stages.length - 1].toPerMs;
};

/** Stages cut to [from, to) ms into them. */
const clipStages = <S extends { durationMs: number }>(stages: readonly S[], from: number, to: number, cut: (s: S, a: number, b: number) => S): S[] => {
  const out: S[] = [];
  let offset = 0;
  for (const s of stages) {
    const a = Math.max(from, offset);
    const b = Math.min(to, offset + s.durationMs);
    if (b > a) out.push(cut(s, a - offset, b - offset));
    offset += s.durationMs;
  }
  return out;
};

const shifted = (build: RequestBuilder, seed: string, name: string, firstK: number, fromMs: number): RequestBuilder => (k, tMs) =>
  build(firstK + k, tMs + fromMs, iterationRng(seed, name, firstK + k));

export const windowSpec = (spec: ScenarioSpec, seed: string, window: WindowMs, vuCounters: Record<string, number> = {}): WindowedSpec => {
  const { fromMs, toMs } = window;
  const traffic: Record<string, Executor> = {};
  const firstIteration: Record<string, number> = {};
  const iterations: Record<string, number> = {};
  const notes: string[] = [];
  for (const [name, e] of Object.entries(spec.traffic)) {
    const startMs = parseDuration(e.startTime ?? 0);
    const endMs = executorEndMs(e);
    if (endMs <= fromMs || startMs >= toMs) continue;
    const stages = arrivalStages(e);
    if (stages !== undefined) {
      const first = firstArrivalAtOrAfter(stages, startMs, fromMs);
      const end = firstArrivalAtOrAfter(stages, startMs, toMs);
      if (end <= first) continue;
      firstIteration[name] = first;
      iterations[name] = end - first;
      const build = shifted(e.build, seed, name, first, fromMs);
      const firstAtMs = startMs + (arrivalOffsetMs(stages, first) as number);
      if (first === 0 && startMs >= fromMs && endMs <= toMs) {
        // Wholly inside: the executor as written (a burst stays a burst), moved to the window's clock.
        traffic[name] = { ...e, startTime: startMs - fromMs, build };
      } else if (e.executor === 'constant-arrival-rate') {
        const intervalMs = parseDuration(e.timeUnit ?? '1s') / e.rate;
        // Half an interval past the last arrival: exactly end - first arrivals, whatever the rounding.
        traffic[name] = { ...e, startTime: firstAtMs - fromMs, duration: (end - first - 0.5) * intervalMs, build };
      } else if (e.executor === 'ramping-arrival-rate') {
        const unitMs = parseDuration(e.timeUnit ?? '1s');
        const from = firstAtMs - startMs;
        const to = Math.min(toMs, endMs) - startMs;
        traffic[name] = {
          executor: 'ramping-arrival-rate',
          startTime: firstAtMs - fromMs,
          timeUnit: unitMs,
          startRate: rateAt(stages, from) * unitMs,
          stages: clipStages(stages, from, to, (s, a, b) => ({ ...s, durationMs: b - a, toPerMs: rateAt([s], b) })).map((s) => ({ target: s.toPerMs * unitMs, duration: s.durationMs })),
          build,
          ...(e.client === undefined ? {} : { client: e.client }),
        };
        notes.push(`${name}: a window through a ramping arrival rate starts at the rate of its first arrival; arrivals after it follow k6's own spacing`);
      }
      continue;
    }
    const first = vuCounters[name] ?? 0;
    const build = shifted(e.build, seed, name, first, fromMs);
    firstIteration[name] = first;
    const from = Math.max(startMs, fromMs);
    const to = Math.min(endMs, toMs);
    if (e.executor === 'per-vu-iterations') {
      if (startMs < fromMs) {
        notes.push(`${name}: per-vu-iterations began before the window; left out (its remaining iterations per VU are not known)`);
        delete firstIteration[name];
        continue;
      }
      traffic[name] = { ...e, startTime: startMs - fromMs, build };
    } else if (e.executor === 'constant-vus') {
      traffic[name] = { ...e, startTime: from - fromMs, duration: to - from, build };
    } else if (e.executor === 'ramping-vus') {
      const vuStages = e.stages.map((s, i) => ({ target: s.target, before: i === 0 ? (e.startVUs ?? 0) : e.stages[i - 1].target, durationMs: parseDuration(s.duration) }));
      const targetAt = (t: number): number => {
        let offset = 0;
        for (const s of vuStages) {
          if (t <= offset + s.durationMs) return s.before + ((s.target - s.before) * (t - offset)) / Math.max(1e-9, s.durationMs);
          offset += s.durationMs;
        }
        return vuStages.length === 0 ? (e.startVUs ?? 0) : vuStages[vuStages.length - 1].target;
      };
      const a = from - startMs;
      const b = to - startMs;
      traffic[name] = {
        ...e,
        startTime: from - fromMs,
        startVUs: Math.round(targetAt(a)),
        stages: clipStages(vuStages, a, b, (s, x, y) => ({ ...s, durationMs: y - x, target: targetAt(y - x + a) })).map((s) => ({ target: Math.round(s.target), duration: s.durationMs })),
        build,
      };
    }
    if (vuCounters[name] === undefined && startMs < fromMs) notes.push(`${name}: VU iterations are numbered from 0 in the window (no simulator counter given)`);
  }
  if (Object.keys(traffic).length === 0) throw new Error(`the window ${fromMs}..${toMs} ms holds no iteration of any traffic entry`);
  const inWindow = (at: string | number): boolean => {
    const t = parseDuration(at);
    return t >= fromMs && t < toMs;
  };
  return {
    spec: {
      ...spec,
      traffic,
      duration: toMs - fromMs,
      events: (spec.events ?? []).filter((e) => inWindow(e.at)).map((e) => ({ ...e, at: parseDuration(e.at) - fromMs })),
      phases: (spec.phases ?? []).filter((p) => inWindow(p.at)).map((p) => ({ ...p, at: parseDuration(p.at) - fromMs })),
      expectations: [],
    },
    firstIteration,
    iterations,
    notes,
  };
};

/** What `cachecast live --window` hands the k6 bundle (JSON in the script's settings). */
export interface WindowSettings extends WindowMs {
  vuCounters: Record<string, number>;
}

/** The spec as a k6 bundle runs it: the whole scenario, or the window's part of it. */
export const withWindow = (spec: ScenarioSpec, seed: string, window: WindowSettings | undefined): ScenarioSpec =>
  window === undefined ? spec : windowSpec(spec, seed, window, window.vuCounters).spec;
