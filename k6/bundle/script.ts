// The k6 side of a scenario: options, one exec function per traffic entry, setup and
// handleSummary, built from the same scenario module the simulator runs. It is bundled into the
// k6 script (k6/build.ts), so it imports only k6's modules and pure project code, and
// receives k6's globals (`__ENV`) from the generated entry rather than reading them.

import { sleep } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import type { Options } from 'k6/options';
import { parseDuration } from '../../scenarios/kit/durations.ts';
import { retryWaitMs } from '../../scenarios/kit/retry.ts';
import type { ClientBehaviour, Executor, Scenario, ScenarioRequest } from '../../scenarios/kit/format.ts';
import { mergeConfig, type ProviderConfig } from '../../core/model/config.ts';
import { PROFILES } from '../../core/model/profiles/index.ts';
import { iterationStreams, retryStream, thinkStream } from '../../core/random/streams.ts';
import type { Rng } from '../../core/model/rng.ts';
import { answerCostUsd } from './cost.ts';
import { isBurst, toK6Scenarios, type VuSizing } from './k6-scenarios.ts';
import { createMetrics, type MetricTags, UNEXPECTED_THRESHOLD } from './custom-metrics.ts';
import { iterationClock, type IterationClock } from './schedule.ts';
import { scenarioDurationMs, thinkMs } from '../../scenarios/kit/timeline.ts';
import { cachecastFigures, type K6SummaryData, textSummary } from './summary.ts';
import { toThresholds } from './thresholds.ts';
import { WIRES } from './wire/registry.ts';
import type { WireRequest } from './wire/types.ts';
import { type WindowSettings, windowSpec } from '../../scenarios/kit/window.ts';
import { originOf, type SetupData, START_LEAD_WALL_MS, type StartRequest } from './test-start.ts';

export interface K6ScriptSettings {
  variant: string;
  /** Provider milliseconds per wall millisecond. */
  timeScale: number;
  /** Origin of the OpenAI- or Anthropic-compatible endpoint; `CACHECAST_TARGET` overrides. */
  target: string;
  /** VU sizing from the model's latency (`cachecast live` measures it); the default otherwise. */
  sizing?: VuSizing;
  /** `cachecast live --window`: send only this window of the scenario (scenarios/kit/window.ts). */
  window?: WindowSettings;
}

/**
 * Environment the script reads (k6 `-e NAME=value`):
 * CACHECAST_TARGET (origin), CACHECAST_API_KEY (one key for every tenant, e.g. a gateway's),
 * CACHECAST_SUMMARY (path of the JSON summary), CACHECAST_CONTROL_URL (set by `cachecast live`:
 * setup() tells it the wall instant provider time starts at, the origin k6's arrivals count from;
 * test-start.ts).
 */
export type K6Env = Record<string, string | undefined>;

export interface K6Script {
  options: Options;
  setup: () => SetupData;
  /** One iteration of a traffic entry; `data` is what setup() returned (k6 passes it to every iteration). */
  run: (trafficName: string, data?: unknown) => void;
  handleSummary: (data: K6SummaryData) => Record<string, string>;
  /** Approximations made fitting the scenario into k6 (sub-millisecond rounding and the like). */
  notes: string[];
}

/** The `name` tag of a burst VU's connection-opening request (not a model request). */
export const PRECONNECT_TAG = 'cachecast-preconnect';

const sleepUntil = (wallMs: number): void => {
  const waitWallMs = wallMs - Date.now();
  if (waitWallMs > 0) sleep(waitWallMs / 1000);
};

const headerValue = (headers: Record<string, string>, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
};

/**
 * The provider's advised wait on the wall: retry-after-ms (already scaled by the mock), else
 * retry-after seconds; without either, 1 s for a 429 and none (0) otherwise, so a server error
 * falls back to the SDK backoff (kit/retry.ts).
 */
const retryAfterWallMs = (headers: Record<string, string>, status: number): number => {
  const ms = Number(headerValue(headers, 'retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number(headerValue(headers, 'retry-after') ?? Number.NaN);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return status === 429 ? 1000 : 0;
};

export const createK6Script = (scenario: Scenario, settings: K6ScriptSettings, env: K6Env): K6Script => {
  const { variant, timeScale } = settings;
  if (!(variant in scenario.variants)) throw new Error(`scenario "${scenario.name}" has no variant "${variant}"`);
  // Validated when the bundle was built (in Node, with zod); here the spec is only read.
  // `cachecast live --window`: only the window's iterations, numbered as in the whole run.
  const windowed = settings.window === undefined ? undefined : windowSpec(scenario.setup(variant), scenario.seed, settings.window, settings.window.vuCounters);
  const spec = windowed === undefined ? scenario.setup(variant) : windowed.spec;
  // A window's iteration k is the whole run's firstIteration + k: the simulator draws retry jitter
  // and think times from the whole run's number, and so must the bundle (with the window's own
  // number, retry-jitter's retries came seconds from the simulator's: 17 of its 34 sent live).
  const firstIteration: Record<string, number> = windowed === undefined ? {} : windowed.firstIteration;
  const globalK = (trafficName: string, k: number): number => (firstIteration[trafficName] ?? 0) + k;
  const config = mergeConfig<ProviderConfig>(PROFILES[spec.provider.profile], spec.provider.overrides);
  const codec = WIRES[config.wire];
  const seed = scenario.seed;
  const target = (env.CACHECAST_TARGET ?? settings.target).replace(/\/+$/, '');
  const endMs = scenarioDurationMs(spec);
  const mapped = toK6Scenarios(spec.traffic, timeScale, settings.sizing);
  const metrics = createMetrics();

  // The wall instant provider time starts at, from setup()'s data; without it (a script run
  // without its setup), when k6 started the test.
  let originWallMs: number | undefined;
  const clocks: Record<string, IterationClock> = {};
  const bursts = new Set<string>();
  // Per traffic entry, once per VU: hashing (seed, traffic name) took 33 µs per iteration in k6.
  const rngs: Record<string, (k: number) => Rng> = {};
  for (const [name, executor] of Object.entries(spec.traffic)) {
    const scaledStartMs = parseDuration(mapped.scenarios[name].startTime ?? 0);
    // A scenario's start time is fixed for the test: read from k6 once (each read of exec.scenario builds its object).
    let testStartWallMs: number | undefined;
    clocks[name] = iterationClock(executor, timeScale, () => (testStartWallMs ??= originWallMs ?? exec.scenario.startTime - scaledStartMs));
    if (isBurst(executor, timeScale)) bursts.add(name);
    rngs[name] = iterationStreams(seed, name);
  }

  const apiKeyFor = (tenant: string): string => env.CACHECAST_API_KEY ?? `cc-${tenant}`;

  /**
   * One request, and its retries after a 429 when the scenario's client retries. `first` is the
   * first attempt's encoding when it was prepared ahead (a burst's VU).
   */
  const send = (trafficName: string, client: ClientBehaviour | undefined, k: number, request: ScenarioRequest, scenarioMs: number, first?: WireRequest, dueWallMs?: number): void => {
    const cls = request.class ?? 'interactive';
    const tags: MetricTags = { tenant: request.tenant, class: cls };
    let atMs = scenarioMs;
    // When this attempt is due on the wall: its arrival's instant, then each retry's.
    let due = dueWallMs;
    for (let attempt = 0; ; attempt++) {
      const wire = attempt === 0 && first !== undefined ? first : codec.encode(request, apiKeyFor(request.tenant));
      const headers: Record<string, string> = {
        ...wire.headers,
        'x-cachecast-class': cls,
        'x-cachecast-attempt': String(attempt),
        // The answer's length the scenario wants; max_tokens caps it (mock-provider/call-model.ts).
        'x-cachecast-output-tokens': String(Math.max(0, Math.round(request.outputTokens))),
        // Which builder call this is: lets a test, or a gateway's logs, pair a request with the
        // simulator's (the mock provider ignores both).
        'x-cachecast-traffic': trafficName,
        'x-cachecast-iteration': String(k),
        // When it is sent: its due instant, or now if later (Date.now() is whole milliseconds, the
        // due instant exact). The mock provider of `cachecast live` takes the request's time from it.
        'x-cachecast-sent-at': String(due === undefined ? Date.now() : Math.max(due, Date.now())),
      };
      if (request.session !== undefined && request.session !== '') headers['x-cachecast-session'] = request.session;
      const res: RefinedResponse<ResponseType> = http.post(`${target}${wire.path}`, wire.body, {
        headers,
        tags: { ...tags, name: wire.path },
        timeout: '600s',
        responseType: 'text',
      });
      const body = typeof res.body === 'string' ? res.body : '';
      const answer = res.status === 200 ? codec.decode(body, wire.streaming) : undefined;
      const status = answer?.streamError !== undefined ? 529 : res.status;
      metrics.record(
        {
          status,
          usage: answer?.usage,
          costUsd: answer === undefined ? undefined : answerCostUsd(config, answer.model, request.model, answer.usage),
          ttftMs: wire.streaming && status === 200 ? res.timings.waiting * timeScale : undefined,
        },
        tags,
      );
      // The same rule and random draws as the simulator, in provider time; the wait is scaled to the wall.
      // Only a refusal is ever retried: the headers (a JS object k6 builds on access) are read for those alone.
      if (client === undefined || status === 200) return;
      const waitMs = retryWaitMs(client, status, attempt, retryAfterWallMs(res.headers, status) * timeScale, () => retryStream(seed, trafficName, globalK(trafficName, k), attempt));
      if (waitMs === undefined) return;
      const waitWallMs = waitMs / timeScale;
      atMs += (res.timings.duration + waitWallMs) * timeScale;
      // As in the simulator, no retry starts at or after the scenario's end.
      if (atMs >= endMs) return;
      // A 429 is answered at once (the simulator retries it at its arrival + the wait): counted from
      // when it was sent, not from when its answer came back; anything else from its answer.
      const sentWallMs = Number(headers['x-cachecast-sent-at']);
      due = (status === 429 ? sentWallMs : Date.now()) + waitWallMs;
      sleepUntil(due);
    }
  };

  /**
   * A burst's VUs start together (per-vu-iterations), BURST_LEAD_WALL_MS early: each builds and
   * encodes its request and opens its connection (a HEAD of the target's root, answered without a
   * ledger row; k6 keeps the connection for the VU), then waits for its own arrival and is that
   * arrival, late or not: its scenario time is the schedule's.
   */
  const sendBurstArrival = (trafficName: string, executor: Executor, k: number, clock: IterationClock): void => {
    const dueWallMs = clock.dueWallMs(k);
    const scenarioMs = clock.scheduledMs(k);
    if (dueWallMs === undefined || scenarioMs === undefined || scenarioMs >= endMs) return;
    const request = executor.build(k, scenarioMs, rngs[trafficName](k));
    if (request === null) {
      sleepUntil(dueWallMs);
      return;
    }
    const first = codec.encode(request, apiKeyFor(request.tenant));
    http.request('HEAD', `${target}/`, null, { tags: { name: PRECONNECT_TAG } });
    sleepUntil(dueWallMs);
    send(trafficName, executor.client, k, request, scenarioMs, first, dueWallMs);
  };

  const run = (trafficName: string, data?: unknown): void => {
    const executor: Executor | undefined = spec.traffic[trafficName];
    if (executor === undefined) throw new Error(`no traffic "${trafficName}" in ${scenario.name}/${variant}`);
    originWallMs ??= originOf(data);
    const k = exec.scenario.iterationInTest;
    const clock = clocks[trafficName];
    if (bursts.has(trafficName)) sendBurstArrival(trafficName, executor, k, clock);
    else {
      const dueWallMs = clock.dueWallMs(k);
      // A VU loop starts with provider time (k6 starts it up to START_LEAD_WALL_MS earlier).
      if (dueWallMs === undefined) sleepUntil(clock.startWallMs());
      const scenarioMs = clock.scenarioMs(k, Date.now());
      if (scenarioMs === undefined || scenarioMs >= endMs) return;
      const request = executor.build(k, scenarioMs, rngs[trafficName](k));
      if (request !== null) {
        // An arrival is built and encoded when k6 starts its iteration, ahead of provider time's
        // start by up to the lead, then sent at its own instant: neither k6's start-up nor the
        // build makes it late (test-start.ts). One k6 started late is sent at once.
        const first = codec.encode(request, apiKeyFor(request.tenant));
        if (dueWallMs !== undefined) sleepUntil(dueWallMs);
        send(trafficName, executor.client, k, request, scenarioMs, first, dueWallMs);
      }
    }
    if ('thinkTime' in executor) {
      const waitMs = thinkMs(executor.thinkTime, thinkStream(seed, trafficName, globalK(trafficName, k)));
      if (waitMs > 0) sleep(waitMs / timeScale / 1000);
    }
  };

  const summaryContext = { scenario: scenario.name, variant, timeScale, target };
  const thresholds = toThresholds(spec.expectations ?? []);
  const options: Options = {
    scenarios: mapped.scenarios,
    tags: { cachecast_scenario: scenario.name, variant },
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  };
  options.thresholds = { ...UNEXPECTED_THRESHOLD, ...thresholds };

  return {
    options,
    notes: mapped.notes,
    setup: () => {
      const control = env.CACHECAST_CONTROL_URL;
      if (control === undefined || control === '') return { originWallMs: Date.now() + START_LEAD_WALL_MS };
      const ask: StartRequest = { leadMs: START_LEAD_WALL_MS };
      const res = http.post(`${control}/start`, JSON.stringify(ask), { headers: { 'content-type': 'application/json' }, tags: { name: 'cachecast-control' } });
      // The mock provider answers with the origin in force: another k6 instance's, if it started first.
      let adopted: number | undefined;
      try {
        adopted = originOf(JSON.parse(typeof res.body === 'string' ? res.body : ''));
      } catch {
        adopted = undefined;
      }
      return { originWallMs: adopted ?? Date.now() };
    },
    run,
    handleSummary: (data) => {
      const figures = cachecastFigures(data);
      const path = env.CACHECAST_SUMMARY ?? `${scenario.name}-${variant}.k6-summary.json`;
      return {
        stdout: textSummary(summaryContext, figures, data),
        [path]: `${JSON.stringify({ cachecast: { ...summaryContext, ...figures }, k6: data }, null, 2)}\n`,
      };
    },
  };
};
