// The contract between the k6 stand-in modules (bundled into a script in place of k6's) and the
// VU worker that runs them: the worker installs a host on globalThis before the script loads.

export interface HttpRequest {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  /** Canonical header names, as k6 gives them (Retry-After-Ms). */
  headers: Record<string, string>;
  body: string;
  /** Wall milliseconds: to the first byte, and to the last. */
  timings: { waiting: number; duration: number };
}

export type MetricType = 'counter' | 'rate' | 'trend' | 'gauge';

export interface Sample {
  metric: string;
  type: MetricType;
  isTime: boolean;
  value: number;
  tags: Record<string, string>;
}

export interface ExecutionState {
  scenario: { name: string; executor: string; startTime: number; progress: number; iterationInInstance: number; iterationInTest: number };
  vu: { idInInstance: number; idInTest: number; iterationInInstance: number; iterationInScenario: number };
}

export interface StandInHost {
  request: (request: HttpRequest) => HttpResponse;
  sample: (sample: Sample) => void;
  sleep: (seconds: number) => void;
  execution: () => ExecutionState;
}

const KEY = '__cachecastK6Host';

export const installHost = (host: StandInHost): void => {
  (globalThis as Record<string, unknown>)[KEY] = host;
};

export const host = (): StandInHost => {
  const found = (globalThis as Record<string, unknown>)[KEY];
  if (found === undefined) throw new Error('k6 stand-in used outside a harness VU');
  return found as StandInHost;
};
