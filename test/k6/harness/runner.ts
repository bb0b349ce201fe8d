// A small k6 for tests, where k6 itself cannot be installed: it runs a built k6 script in Node
// with stand-in k6 modules, reads `options.scenarios` and starts iterations on the same schedule
// k6 does (arrival times from rate and timeUnit, VU loops for the VU executors), each VU a worker
// thread with its own copy of the script. It aggregates metrics, checks thresholds (exit code 99
// when one fails, as k6) and calls handleSummary, writing the files it returns.
//
// One deliberate difference: with every VU busy, k6 drops an arrival (dropped_iterations); this
// harness queues it, so a test machine's speed cannot change which requests are sent.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { build, type Plugin } from 'esbuild';
import { parseDuration } from '../../../scenarios/kit/durations.ts';
import { arrivalOffsetMs, vuActiveIntervals } from '../../../scenarios/kit/timeline.ts';
import { createAggregator, type SummaryData } from './aggregate.ts';
import type { ExecutionState, HttpRequest, HttpResponse, Sample } from './host.ts';
import type { VuCommand, VuReply } from './vu-worker.ts';

const HARNESS = import.meta.dirname;

export interface RunK6Options {
  scriptPath: string;
  env?: Record<string, string>;
  /** Answers every http request the script makes. */
  handler: (request: HttpRequest) => Promise<HttpResponse>;
  /** Worker threads (VUs) at most; default 16. */
  maxVus?: number;
  /** Where handleSummary's relative paths are written. */
  cwd?: string;
  stdout?: (text: string) => void;
}

export interface K6RunResult {
  exitCode: number;
  options: K6Options;
  summary: SummaryData;
  /** Every metric sample, in the order VUs reported them. */
  samples: Sample[];
  /** Exceptions thrown by iterations (k6 logs these and carries on). */
  errors: string[];
  files: Record<string, string>;
}

interface K6ScenarioOptions {
  executor: string;
  preAllocatedVUs?: number;
  exec?: string;
  startTime?: string;
  rate?: number;
  startRate?: number;
  timeUnit?: string;
  duration?: string;
  stages?: Array<{ target: number; duration: string }>;
  vus?: number;
  startVUs?: number;
  iterations?: number;
  maxDuration?: string;
}

export interface K6Options {
  scenarios?: Record<string, K6ScenarioOptions>;
  thresholds?: Record<string, string[]>;
}

const standIns: Plugin = {
  name: 'k6-stand-ins',
  setup(pluginBuild) {
    const standIn = (path: string): string => join(HARNESS, 'stand-ins', `${path === 'k6' ? 'k6' : path.slice(3)}.ts`);
    // The bundle is CommonJS (k6/build.ts): its require("k6/execution") must return the module
    // object itself, as k6's require does, not an ES module namespace around it.
    pluginBuild.onResolve({ filter: /^k6(\/(http|metrics|execution))?$/ }, (args) =>
      args.kind === 'require-call' ? { path: standIn(args.path), namespace: 'k6-cjs' } : { path: standIn(args.path) });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'k6-cjs' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)}).default;`,
      loader: 'js',
      resolveDir: HARNESS,
    }));
  },
};

/** The script with k6's modules swapped for the stand-ins, behind the VU bootstrap. */
export const bundleForNode = async (scriptPath: string): Promise<string> => {
  const outfile = join(mkdtempSync(join(tmpdir(), 'cachecast-k6-vu-')), 'vu.mjs');
  await build({
    stdin: {
      contents: `import { serveVu } from ${JSON.stringify(join(HARNESS, 'vu-worker.ts'))};\nimport * as script from ${JSON.stringify(resolve(scriptPath))};\nserveVu(script);\n`,
      resolveDir: HARNESS,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    plugins: [standIns],
    logLevel: 'silent',
  });
  return outfile;
};

interface Vu {
  id: number;
  call: (command: Extract<VuCommand, { type: 'call' }>) => Promise<Extract<VuReply, { type: 'done' }>>;
  options: () => Promise<Extract<VuReply, { type: 'options' }>>;
  stop: () => Promise<void>;
}

const startVu = (file: string, id: number, env: Record<string, string>, handler: RunK6Options['handler']): Promise<Vu> => {
  const { port1, port2 } = new MessageChannel();
  const flagBuffer = new SharedArrayBuffer(4);
  const flag = new Int32Array(flagBuffer);
  port1.on('message', (request: HttpRequest) => {
    handler(request)
      .catch((error: unknown): HttpResponse => ({ status: 0, headers: {}, body: String(error), timings: { waiting: 0, duration: 0 } }))
      .then((response) => {
        port1.postMessage(response);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      });
  });
  const worker = new Worker(file, { workerData: { env, vuId: id, port: port2, flag: flagBuffer }, transferList: [port2] });
  let pending: ((reply: VuReply) => void) | undefined;
  return new Promise((resolveVu, reject) => {
    worker.once('error', reject);
    worker.on('message', (reply: VuReply) => {
      if (reply.type === 'ready') {
        resolveVu({
          id,
          call: (command) => new Promise((done) => {
            pending = (r) => done(r as Extract<VuReply, { type: 'done' }>);
            worker.postMessage(command);
          }),
          options: () => new Promise((done) => {
            pending = (r) => done(r as Extract<VuReply, { type: 'options' }>);
            worker.postMessage({ type: 'options' } satisfies VuCommand);
          }),
          stop: async () => {
            port1.close();
            await worker.terminate();
          },
        });
        return;
      }
      const resolvePending = pending;
      pending = undefined;
      resolvePending?.(reply);
    });
  });
};

const sleepUntil = (startedAt: number, offsetMs: number): Promise<void> => {
  const waitMs = startedAt + offsetMs - performance.now();
  return waitMs > 0 ? new Promise((r) => setTimeout(r, waitMs)) : Promise.resolve();
};

/** Iteration offsets (wall ms from the scenario's start) of an arrival-rate executor. */
export const arrivalOffsets = (s: K6ScenarioOptions): number[] => {
  const unitMs = parseDuration(s.timeUnit ?? '1s');
  const stages =
    s.executor === 'constant-arrival-rate'
      ? [{ fromPerMs: (s.rate ?? 0) / unitMs, toPerMs: (s.rate ?? 0) / unitMs, durationMs: parseDuration(s.duration ?? 0) }]
      : (() => {
          let from = (s.startRate ?? 0) / unitMs;
          return (s.stages ?? []).map((stage) => {
            const to = stage.target / unitMs;
            const out = { fromPerMs: from, toPerMs: to, durationMs: parseDuration(stage.duration) };
            from = to;
            return out;
          });
        })();
  const offsets: number[] = [];
  for (let k = 0; ; k++) {
    const offset = arrivalOffsetMs(stages, k);
    if (offset === undefined) return offsets;
    offsets.push(offset);
  }
};

export const runK6 = async (options: RunK6Options): Promise<K6RunResult> => {
  const env = options.env ?? {};
  const file = await bundleForNode(options.scriptPath);
  const maxVus = options.maxVus ?? 16;
  const errors: string[] = [];
  const samples: Sample[] = [];

  const first = await startVu(file, 1, env, options.handler);
  const { options: rawOptions, exports } = await first.options();
  const k6Options = rawOptions as K6Options;
  const scenarios = k6Options.scenarios ?? {};
  const thresholds = k6Options.thresholds ?? {};
  const aggregator = createAggregator(Object.keys(thresholds));
  const take = (reply: Extract<VuReply, { type: 'done' }>): unknown => {
    for (const sample of reply.samples) {
      samples.push(sample);
      aggregator.add(sample);
    }
    if (reply.error !== undefined) errors.push(reply.error);
    return reply.result;
  };
  const idleState = (name: string): ExecutionState => ({
    scenario: { name, executor: '', startTime: Date.now(), progress: 0, iterationInInstance: 0, iterationInTest: 0 },
    vu: { idInInstance: 1, idInTest: 1, iterationInInstance: 0, iterationInScenario: 0 },
  });

  // The pool: VUs are started on demand, up to maxVus; arrivals wait for a free one.
  const vus: Vu[] = [first];
  const free: Vu[] = [];
  const waiting: Array<(vu: Vu) => void> = [];
  let starting = 0;
  const acquire = async (): Promise<Vu> => {
    const idle = free.pop();
    if (idle !== undefined) return idle;
    if (vus.length + starting < maxVus) {
      starting++;
      const vu = await startVu(file, vus.length + starting, env, options.handler);
      starting--;
      vus.push(vu);
      return vu;
    }
    return new Promise((r) => waiting.push(r));
  };
  const release = (vu: Vu): void => {
    const next = waiting.shift();
    if (next !== undefined) next(vu);
    else free.push(vu);
  };

  // k6 initialises the VUs it plans for before setup(), so iterations do not wait for VU start-up.
  const planned = Object.values(scenarios).reduce((sum, s) => {
    const stagePeak = Math.max(0, ...(s.stages ?? []).map((stage) => stage.target));
    return sum + (s.executor.endsWith('arrival-rate') ? (s.preAllocatedVUs ?? 1) : Math.max(s.vus ?? 1, s.startVUs ?? 0, stagePeak));
  }, 0);
  const extra = await Promise.all(Array.from({ length: Math.max(0, Math.min(maxVus, planned) - 1) }, (_, i) => startVu(file, i + 2, env, options.handler)));
  vus.push(...extra);
  free.push(...extra);
  // k6 passes what setup() returns to every iteration.
  const setupData = exports.includes('setup') ? take(await first.call({ type: 'call', fn: 'setup', args: [], state: idleState('setup') })) : undefined;
  free.push(first);

  const testStart = performance.now();
  const testStartEpoch = Date.now();
  const counters = new Map<string, number>();
  const iterate = async (vu: Vu, name: string, s: K6ScenarioOptions, scenarioStartEpoch: number, perVu: number): Promise<void> => {
    const k = counters.get(name) ?? 0;
    counters.set(name, k + 1);
    take(
      await vu.call({
        type: 'call',
        fn: s.exec ?? 'default',
        args: [setupData],
        state: {
          scenario: { name, executor: s.executor, startTime: scenarioStartEpoch, progress: 0, iterationInInstance: k, iterationInTest: k },
          vu: { idInInstance: vu.id, idInTest: vu.id, iterationInInstance: perVu, iterationInScenario: perVu },
        },
      }),
    );
  };

  const runScenario = async (name: string, s: K6ScenarioOptions): Promise<void> => {
    const startOffset = parseDuration(s.startTime ?? 0);
    await sleepUntil(testStart, startOffset);
    const scenarioStart = performance.now();
    const scenarioStartEpoch = testStartEpoch + (scenarioStart - testStart);
    if (s.executor === 'constant-arrival-rate' || s.executor === 'ramping-arrival-rate') {
      const inFlight: Array<Promise<void>> = [];
      for (const offset of arrivalOffsets(s)) {
        await sleepUntil(scenarioStart, offset);
        inFlight.push(
          acquire().then(async (vu) => {
            await iterate(vu, name, s, scenarioStartEpoch, 0);
            release(vu);
          }),
        );
      }
      await Promise.all(inFlight);
      return;
    }
    const loop = async (intervals: Array<[number, number]>, iterations: number): Promise<void> => {
      const vu = await acquire();
      let done = 0;
      for (const [from, to] of intervals) {
        await sleepUntil(scenarioStart, from);
        while (performance.now() - scenarioStart < to && done < iterations) await iterate(vu, name, s, scenarioStartEpoch, done++);
      }
      release(vu);
    };
    if (s.executor === 'per-vu-iterations') {
      const maxMs = parseDuration(s.maxDuration ?? '10m');
      await Promise.all(Array.from({ length: s.vus ?? 1 }, () => loop([[0, maxMs]], s.iterations ?? 1)));
    } else if (s.executor === 'constant-vus') {
      const durationMs = parseDuration(s.duration ?? 0);
      await Promise.all(Array.from({ length: s.vus ?? 1 }, () => loop([[0, durationMs]], Number.POSITIVE_INFINITY)));
    } else if (s.executor === 'ramping-vus') {
      const stages = (s.stages ?? []).map((stage) => ({ target: stage.target, durationMs: parseDuration(stage.duration) }));
      const peak = Math.max(s.startVUs ?? 0, ...stages.map((stage) => stage.target));
      await Promise.all(Array.from({ length: peak }, (_, i) => loop(vuActiveIntervals(s.startVUs ?? 0, stages, i + 1), Number.POSITIVE_INFINITY)));
    } else {
      throw new Error(`harness: executor ${s.executor} is not supported`);
    }
  };

  await Promise.all(Object.entries(scenarios).map(([name, s]) => runScenario(name, s)));
  const durationMs = performance.now() - testStart;

  const { data, thresholdsOk } = aggregator.summary(durationMs, thresholds, k6Options);
  const summaryVu = await acquire();
  const files = (take(await summaryVu.call({ type: 'call', fn: 'handleSummary', args: [data], state: idleState('summary') })) ?? {}) as Record<string, string>;
  for (const [path, contents] of Object.entries(files)) {
    if (path === 'stdout') options.stdout?.(contents);
    else if (path !== 'stderr') {
      const target = resolve(options.cwd ?? process.cwd(), path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, contents);
    }
  }
  await Promise.all(vus.map((vu) => vu.stop()));
  return { exitCode: thresholdsOk ? 0 : 99, options: k6Options, summary: data, samples, errors, files };
};
