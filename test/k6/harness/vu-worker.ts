// One k6 VU: a worker thread with its own copy of the script (k6 gives every VU its own JS
// runtime, so init code and module state are per VU). Bundled in front of the script, so this
// module's top level runs first and k6's globals and the stand-ins' host exist when the script's
// init code runs. http is synchronous in k6: the request goes to the main thread, and this thread
// blocks on an Atomics flag until the answer is posted back.

import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { type ExecutionState, type HttpRequest, type HttpResponse, installHost, type Sample } from './host.ts';

export interface VuWorkerData {
  env: Record<string, string>;
  vuId: number;
  port: MessagePort;
  flag: SharedArrayBuffer;
}

export type VuCommand =
  | { type: 'options' }
  | { type: 'call'; fn: string; args: unknown[]; state: ExecutionState };

export type VuReply =
  | { type: 'ready' }
  | { type: 'options'; options: unknown; exports: string[] }
  | { type: 'done'; samples: Sample[]; result: unknown; error?: string };

const data = workerData as VuWorkerData;
const globals = globalThis as Record<string, unknown>;
globals.__ENV = { ...data.env };
globals.__VU = data.vuId;
globals.__ITER = 0;

const flag = new Int32Array(data.flag);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let samples: Sample[] = [];
let state: ExecutionState | undefined;

installHost({
  request: (request: HttpRequest): HttpResponse => {
    Atomics.store(flag, 0, 0);
    data.port.postMessage(request);
    Atomics.wait(flag, 0, 0);
    const answer = receiveMessageOnPort(data.port);
    if (answer === undefined) throw new Error('harness: no answer on the VU port');
    return answer.message as HttpResponse;
  },
  sample: (sample) => samples.push(sample),
  sleep: (seconds) => {
    if (seconds > 0) Atomics.wait(sleeper, 0, 0, seconds * 1000);
  },
  execution: () => {
    if (state === undefined) throw new Error('k6/execution read outside an iteration');
    return state;
  },
});

export const serveVu = (script: Record<string, unknown>): void => {
  const port = parentPort;
  if (port === null) throw new Error('vu-worker runs only in a worker thread');
  port.on('message', (command: VuCommand) => {
    if (command.type === 'options') {
      const reply: VuReply = { type: 'options', options: JSON.parse(JSON.stringify(script.options ?? {})) as unknown, exports: Object.keys(script) };
      port.postMessage(reply);
      return;
    }
    state = command.state;
    globals.__ITER = command.state.vu.iterationInScenario;
    let result: unknown;
    let error: string | undefined;
    try {
      const fn = script[command.fn];
      if (typeof fn !== 'function') throw new Error(`the script exports no function ${command.fn}`);
      result = (fn as (...args: unknown[]) => unknown)(...command.args);
    } catch (caught) {
      error = caught instanceof Error ? `${caught.message}\n${caught.stack ?? ''}` : String(caught);
    }
    const reply: VuReply = { type: 'done', samples, result, ...(error === undefined ? {} : { error }) };
    samples = [];
    port.postMessage(reply);
  });
  const ready: VuReply = { type: 'ready' };
  port.postMessage(ready);
};
