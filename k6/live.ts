// `cachecast live`: the mock provider with the scenario's provider config on 127.0.0.1, the
// scenario's provider events applied at their scaled times, the k6 bundle run against it, and the
// server stopped cleanly afterwards. Leaves ledger.ndjson (the mock provider's), k6-summary.json
// (k6's handleSummary) and summary.json (totals and expectations from the ledger) in the out dir.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseDuration } from '../scenarios/kit/durations.ts';
import { eventRow } from '../core/ledger/row.ts';
import type { Scenario } from '../scenarios/kit/format.ts';
import { specFor } from '../scenarios/kit/validate.ts';
import { startSummary } from '../scenarios/kit/summarize.ts';
import type { LedgerRow, RequestRow } from '../core/ledger/row.ts';
import type { RunSummary } from '../core/ledger/run-summary.ts';
import { CachecastError } from '../core/errors.ts';
import { buildK6Script } from './build.ts';
import { findK6 } from './find-k6.ts';
import { buildLiveMock } from './live-mock.ts';
import { LISTEN_BACKLOG } from '../mock-provider/server.ts';
import { type LiveHealth, healthOf, k6Warning, withFirstAttempts } from './live-health.ts';
import { largestFeasibleScale, type LivePlan, peakWallRps, planLive, sizingOf } from './plan.ts';
import { prepareWindow, windowScenario } from './live-window.ts';
import { combineHealth, segmentArgs } from './segments.ts';
import { createStartControl } from './live-control.ts';

export interface LiveIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
}

export interface LiveOptions {
  scenario: Scenario;
  scenarioPath: string;
  variant: string;
  /** Provider ms per wall ms, or 'auto': the largest scale whose peak wall rate is within maxRps. */
  timeScale: number | 'auto';
  /** Peak wall requests per second this machine can drive (k6 + mock provider). */
  maxRps: number;
  /** --k6; PATH when undefined. */
  k6?: string;
  outDir: string;
  /** `FROM..TO` (13:55..14:10, 115m..130m): rehearse only this window, starting from the simulator's state there. */
  window?: string;
  /** Run the bundle on this many k6 processes, each one execution segment (k6/segments.ts); default 1. */
  k6Instances?: number;
  /** Where k6's output and cachecast's notes go (the CLI passes its stdout and stderr). */
  io: LiveIo;
}

export interface LiveResult {
  summary: RunSummary;
  /** The simulator's run of the same variant (the reference), and the sizing it gave. */
  plan: LivePlan;
  timeScale: number;
  /** Whether k6 sent the traffic: dropped iterations, unexpected responses, k6's warnings. */
  health: LiveHealth;
  k6ExitCode: number;
  paths: { script: string; ledger: string; k6Summary: string; summary: string };
}

const listen = (server: Server): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });

/** A free loopback port for k6's REST API (--address), so parallel runs do not collide on 6565. */
const freeLoopbackAddress = async (): Promise<string> => {
  const probe = createServer();
  const origin = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return origin.replace('http://', '');
};

const readRows = (path: string): LedgerRow[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LedgerRow);

/** The scale to run at: the one asked for when this machine can drive it, else a clear refusal. */
const chooseScale = (scenario: Scenario, variant: string, asked: number | 'auto', maxRps: number): number => {
  const feasible = largestFeasibleScale(scenario, variant, maxRps);
  if (asked === 'auto') {
    if (feasible === undefined) throw new CachecastError('CC_ERR_USAGE', `${scenario.name}/${variant} needs more than --max-rps ${maxRps} requests per wall second even in real time (--time-scale 1)`);
    return feasible;
  }
  const peak = peakWallRps(scenario, variant, asked);
  if (peak > maxRps) {
    const proposal = feasible === undefined ? 'no time scale is (even 1 needs more)' : `the largest feasible scale is ${feasible} (or pass --time-scale auto)`;
    throw new CachecastError(
      'CC_ERR_USAGE',
      `--time-scale ${asked} asks for a peak of ${Math.round(peak)} requests per wall second from ${scenario.name}/${variant}, above --max-rps ${maxRps} (what this machine can drive); ${proposal}`,
    );
  }
  return asked;
};

export const runLive = async (options: LiveOptions): Promise<LiveResult> => {
  const { variant, io, outDir } = options;
  // Before anything starts: without k6 there is nothing to run.
  const k6 = findK6(options.k6, io.cwd);
  // --window: from here on the scenario is its window, starting from the simulator's state there.
  const window = options.window === undefined ? undefined : await prepareWindow(options.scenario, variant, options.window);
  const scenario = window === undefined ? options.scenario : windowScenario(options.scenario, window);
  const spec = specFor(scenario, variant);
  for (const note of window?.notes ?? []) io.err(`note: ${note}\n`);
  const timeScale = chooseScale(scenario, variant, options.timeScale, options.maxRps);
  // First attempts are what the scenario sends; the rest are retries, which follow 429s that turn on milliseconds.
  const windowFirstAttempts = window?.reference.requests.filter((r) => r.attempt === 0).length;
  // A window's plan sizes VUs from the window simulated cold; its reference is the window from the snapshot.
  const plan: LivePlan =
    window === undefined
      ? await planLive(scenario, variant)
      : await planLive(scenario, variant).then((whole) => ({
          ...whole,
          simulated: window.reference.summary,
          firstAttempts: whole.firstAttempts === undefined ? undefined : windowFirstAttempts,
        }));
  mkdirSync(outDir, { recursive: true });
  const paths = {
    script: join(outDir, 'k6-script.js'),
    ledger: join(outDir, 'ledger.ndjson'),
    k6Summary: join(outDir, 'k6-summary.json'),
    summary: join(outDir, 'summary.json'),
  };
  const bundle = await buildK6Script({
    scenario: options.scenario,
    scenarioPath: options.scenarioPath,
    variant,
    timeScale,
    target: 'http://127.0.0.1',
    outFile: paths.script,
    sizing: sizingOf(plan),
    ...(window === undefined ? {} : { window: window.settings }),
  });
  for (const note of bundle.notes) io.err(`note: ${note}\n`);

  const startMs = scenario.startMs;
  const { app, clock } = await buildLiveMock({
    scenario: options.scenario,
    variant,
    spec: specFor(options.scenario, variant),
    timeScale,
    ledgerPath: paths.ledger,
    ...(window === undefined ? {} : { from: window.from }),
  });
  const phaseTimers: NodeJS.Timeout[] = [];
  // Timed from the origin provider time starts at (k6/live-control.ts), which may be ahead of now.
  const startPhases = (originWallMs: number): void => {
    for (const { at, label } of spec.phases ?? []) {
      const atMs = startMs + parseDuration(at);
      const dueInMs = Math.max(0, originWallMs + parseDuration(at) / timeScale - Date.now());
      const timer = setTimeout(() => app.mock.ledger.write(eventRow({ scenario: scenario.name, variant }, atMs, 'phase', 'phase', label)), dueInMs);
      timer.unref();
      phaseTimers.push(timer);
    }
  };
  let origin: string;
  try {
    origin = await app.listen({ host: '127.0.0.1', port: 0, backlog: LISTEN_BACKLOG });
  } catch (error) {
    throw new CachecastError('CC_ERR_PORT_IN_USE', `the mock provider could not bind 127.0.0.1: ${(error as Error).message}`);
  }

  // k6's setup() posts here, naming the wall instant provider time starts at (k6/bundle/test-start.ts).
  const control = createStartControl(clock, startMs, startPhases);
  const controlOrigin = await listen(control);

  let k6ExitCode: number;
  const warnings: string[] = [];
  const instances = options.k6Instances ?? 1;
  // Instance 1 writes k6-summary.json; with --k6-instances, instance i writes k6-summary-<i>.json.
  const summaryPaths = Array.from({ length: instances }, (_, i) => (i === 0 ? paths.k6Summary : join(outDir, `k6-summary-${i + 1}.json`)));
  try {
    const runOne = async (i: number): Promise<number> => {
      const args = [
        'run',
        '--no-usage-report',
        '--address', await freeLoopbackAddress(),
        ...segmentArgs(i, instances),
        '-e', `CACHECAST_TARGET=${origin}`,
        '-e', `CACHECAST_CONTROL_URL=${controlOrigin}`,
        '-e', `CACHECAST_SUMMARY=${summaryPaths[i]}`,
        paths.script,
      ];
      io.err(`mock provider on ${origin} (time scale ${timeScale}); running ${k6} ${args.join(' ')}\n`);
      return new Promise<number>((resolve, reject) => {
        const child = spawn(k6, args, { cwd: outDir, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (chunk: Buffer) => io.out(chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => {
          const text = chunk.toString();
          io.err(text);
          for (const line of text.split('\n')) {
            const warning = k6Warning(line);
            if (warning !== undefined && !warnings.includes(warning)) warnings.push(warning);
          }
        });
        child.once('error', (error) => reject(new CachecastError('CC_ERR_K6_MISSING', `could not start ${k6}: ${error.message}`)));
        child.once('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
      });
    };
    const codes = await Promise.all(Array.from({ length: instances }, (_, i) => runOne(i)));
    k6ExitCode = codes.find((code) => code !== 0) ?? 0;
  } finally {
    for (const timer of phaseTimers) clearTimeout(timer);
    // close() waits for requests in flight, then flushes and closes the ledger file.
    await app.close();
    await new Promise((resolve) => control.close(resolve));
  }

  const summarizer = startSummary(scenario, variant, spec, { seed: scenario.seed, driver: 'live' });
  let firstAttempts = 0;
  for (const row of readRows(paths.ledger)) {
    if (row.kind !== 'request') continue;
    summarizer.add(row as RequestRow);
    if ((row as RequestRow).attempt === 0) firstAttempts++;
  }
  const summary = summarizer.summary(clock.nowMs() - startMs);
  writeFileSync(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  const health = withFirstAttempts(
    combineHealth(summaryPaths.map((path) => healthOf(path, warnings, summary.totals.requests, plan.simulated.totals.requests))),
    firstAttempts,
    plan.firstAttempts,
  );
  if (window !== undefined) {
    // The same window simulated from the same state: what the live figures are compared with.
    writeFileSync(
      join(outDir, 'window.json'),
      `${JSON.stringify(
        {
          fromIso: new Date(window.fromMs).toISOString(),
          toIso: new Date(window.toMs).toISOString(),
          iterations: window.iterations,
          simulated: window.reference.summary.totals,
          live: summary.totals,
          firstAttempts: { simulated: windowFirstAttempts, live: firstAttempts },
        },
        null,
        2,
      )}\n`,
    );
  }
  return { summary, plan, timeScale, health, k6ExitCode, paths };
};
