// Shared set-up for the k6 tests: build a scenario's bundle, record what the simulator's builders
// return, run the bundle in the harness against the mock provider in process, and read requests
// back into segments with the mock provider's own edge code.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildK6Script, type K6Bundle } from '../../k6/build.ts';
import { loadScenario } from '../../bin/cli/load-scenario.ts';
import { buildLiveMock } from '../../k6/live-mock.ts';
import { parseMessagesRequest } from '../../core/wire/anthropic/parse.ts';
import { anthropicSegments } from '../../core/wire/anthropic/segments.ts';
import { parseChatRequest } from '../../core/wire/openai/parse.ts';
import { openaiSegments } from '../../core/wire/openai/segments.ts';
import { createTextMemo } from '../../core/wire/text-memo.ts';
import { estimateTokens } from '../../core/wire/tokens.ts';
import type { Scenario, ScenarioRequest } from '../../scenarios/kit/format.ts';
import { specFor } from '../../scenarios/kit/validate.ts';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
import type { Segment } from '../../core/model/types.ts';
import { runScenario } from '../../simulator/run.ts';
import type { HttpRequest } from './harness/host.ts';
import { injectHandler } from './harness/handlers.ts';
import { type K6RunResult, runK6 } from './harness/runner.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURES = join(ROOT, 'test/k6/fixtures');
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'cachecast-k6-'));

export const bundleOf = async (ref: string, variant: string, timeScale: number, target = 'http://127.0.0.1:9'): Promise<K6Bundle & { path: string; scenario: Scenario }> => {
  const scenario = await loadScenario(ref, ROOT);
  const scenarioPath = ref.includes('/') ? resolve(ROOT, ref) : join(ROOT, 'scenarios', `${ref}.ts`);
  const path = join(tempDir(), `${scenario.name}-${variant}.js`);
  const bundle = await buildK6Script({ scenario, scenarioPath, variant, timeScale, target, outFile: path });
  return { ...bundle, path, scenario };
};

/** What the simulator's builders returned, by `traffic:iteration`, and the simulator's ledger. */
export const simulate = async (scenario: Scenario, variant: string) => {
  const built = new Map<string, ScenarioRequest | null>();
  const recording: Scenario = {
    ...scenario,
    setup: (v) => {
      const spec = scenario.setup(v);
      for (const [name, executor] of Object.entries(spec.traffic)) {
        const build = executor.build;
        executor.build = (k, tMs, rng) => {
          const request = build(k, tMs, rng);
          built.set(`${name}:${k}`, request);
          return request;
        };
      }
      return spec;
    },
  };
  const rows: LedgerRow[] = [];
  const summary = await runScenario({ scenario: recording, variant, sink: (row) => rows.push(row) });
  return { built, rows: rows.filter((r): r is RequestRow => r.kind === 'request'), summary };
};

export interface LiveInProcess {
  app: FastifyInstance;
  run: K6RunResult;
  requests: HttpRequest[];
  rows: () => RequestRow[];
}

/** The bundle in the harness, answered in process by a mock provider with the scenario's config. */
export const runAgainstMock = async (bundle: { path: string; scenario: Scenario }, variant: string, timeScale: number, cwd = tempDir()): Promise<LiveInProcess> => {
  const { scenario } = bundle;
  // What `cachecast live` runs; its clock starts with the test's first request, as live's starts
  // when k6 begins, so fault windows and events fall where the scenario puts them.
  const { app, clock } = await buildLiveMock({ scenario, variant, spec: specFor(scenario, variant), timeScale });
  const requests: HttpRequest[] = [];
  const inject = injectHandler(app);
  const run = await runK6({
    scriptPath: bundle.path,
    cwd,
    maxVus: 8,
    env: { CACHECAST_SUMMARY: 'k6-summary.json' },
    handler: (request) => {
      clock.start();
      requests.push(request);
      return inject(request);
    },
  });
  for (let i = 0; i < 200 && app.mock.ledger.inFlight() > 0; i++) await new Promise((r) => setTimeout(r, 5));
  const rows = (): RequestRow[] => app.mock.ledger.recent().filter((r): r is RequestRow => r.kind === 'request');
  return { app, run, requests, rows };
};

/** A request as the mock provider's edge sees it: model, output cap and segments. */
export const readRequest = (wire: 'anthropic' | 'openai', request: HttpRequest): { model: string; maxTokens: number | undefined; segments: Segment[] } => {
  const body: unknown = JSON.parse(request.body);
  if (wire === 'anthropic') {
    const parsed = parseMessagesRequest(body);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const cut = anthropicSegments(parsed.body, createTextMemo(estimateTokens), 4);
    if (!cut.ok) throw new Error(cut.error.message);
    return { model: parsed.body.model, maxTokens: parsed.body.max_tokens, segments: cut.segments };
  }
  const parsed = parseChatRequest(body);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { model: parsed.body.model, maxTokens: parsed.body.max_completion_tokens ?? undefined, segments: openaiSegments(parsed.body, createTextMemo(estimateTokens)) };
};
