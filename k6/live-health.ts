// Whether a live run sent the traffic it promised, from k6's own account: iterations k6 dropped
// (no free VU: the request was never sent), responses no scenario asks for (a profile sent to the
// other wire answers 404 to everything), and the warnings k6 logged ("Insufficient VUs ...").
// A run that fails here is degraded: its figures are not the scenario's (CC_ERR_LIVE_DEGRADED).

import { existsSync, readFileSync } from 'node:fs';
import type { CachecastK6Figures } from './bundle/summary.ts';

/** More unexpected responses than this share of all responses degrade a run. */
export const MAX_UNEXPECTED_SHARE = 0.01;

export interface LiveHealth {
  /** Requests the mock provider answered (ledger rows) and the simulator's count for the same variant. */
  requests: number;
  simulatedRequests: number;
  droppedIterations: number;
  responses: number;
  unexpectedResponses: number;
  /** k6's warnings and errors, each once, in order. */
  warnings: string[];
  /** Why the run is degraded; empty when it is not. */
  degraded: string[];
}

/** The message of a k6 log line at level warning or error (logfmt: `level=warning msg="..."`). */
export const k6Warning = (line: string): string | undefined => {
  if (!/level=(warning|error)/.test(line)) return undefined;
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(line);
  return (msg === null ? line : msg[1]).trim();
};

export const healthOf = (k6SummaryPath: string, warnings: string[], requests: number, simulatedRequests: number): LiveHealth => {
  const degraded: string[] = [];
  let figures: Partial<CachecastK6Figures> = {};
  if (existsSync(k6SummaryPath)) figures = (JSON.parse(readFileSync(k6SummaryPath, 'utf8')) as { cachecast: CachecastK6Figures }).cachecast;
  else degraded.push('k6 wrote no summary (handleSummary did not run)');
  const dropped = figures.droppedIterations ?? 0;
  const responses = figures.responses ?? 0;
  const unexpected = figures.unexpectedResponses ?? 0;
  if (dropped > 0) degraded.push(`k6 dropped ${dropped} iterations: that traffic was never sent`);
  if (responses > 0 && unexpected / responses > MAX_UNEXPECTED_SHARE) {
    degraded.push(`${unexpected} of ${responses} responses (${((unexpected / responses) * 100).toFixed(1)} %) were errors the scenario does not ask for`);
  }
  return { requests, simulatedRequests, droppedIterations: dropped, responses, unexpectedResponses: unexpected, warnings, degraded };
};

/**
 * The first attempts a run sends are fixed when every executor's iteration count is (arrival
 * rates, per-vu-iterations): then live must send as many as the simulator. k6 can fall short with
 * no dropped iteration (12 of a migration window's 500 under load 12, iterations ending without
 * a request), and the figures would then be another run's. VU loops (constant-vus, ramping-vus)
 * iterate as fast as answers come back, so their counts differ by design and are not compared.
 */
export const withFirstAttempts = (health: LiveHealth, live: number, simulated: number | undefined): LiveHealth =>
  simulated === undefined || live >= simulated
    ? health
    : { ...health, degraded: [...health.degraded, `sent ${live} of the ${simulated} requests the simulator sends (first attempts): the rest were never sent`] };
