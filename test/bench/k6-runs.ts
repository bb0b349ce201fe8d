// Running real k6 for the CPU benchmark (k6-cost.bench.ts): one mock provider in this process,
// warm (the 12k-token prompt already cached), and k6 runs against it, each reporting the CPU it
// used (user + system, from bash's `times` after k6 exits). Every run has the same shape, a
// constant-arrival-rate executor with a fixed number of pre-allocated VUs, so two runs differ
// only in their request rate, or only in their VUs; the script is either cachecast's bundle
// (the fixture's variant for that rate, built as `cachecast live` builds it) or a bare k6 script
// posting the same request with no cachecast code at all.

import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadScenario } from '../../bin/cli/load-scenario.ts';
import { buildK6Script } from '../../k6/build.ts';
import { buildLiveMock } from '../../k6/live-mock.ts';
import { anthropicWire } from '../../k6/bundle/wire/anthropic.ts';
import { execName } from '../../k6/bundle/k6-scenarios.ts';
import { iterationRng } from '../../core/random/streams.ts';
import { specFor } from '../../scenarios/kit/validate.ts';
import type { Scenario } from '../../scenarios/kit/format.ts';
import { SECONDS, variantOf } from './fixtures/k6-cost.ts';

export const FIXTURE = join(import.meta.dirname, 'fixtures/k6-cost.ts');

export interface K6Run {
  rate: number;
  vus: number;
  requests: number;
  dropped: number;
  /** k6's CPU, user + system. */
  k6CpuMs: number;
  /** This process's CPU meanwhile: the mock provider. */
  mockCpuMs: number;
}

export interface Bench {
  /** The mock provider's origin. */
  target: string;
  /** Runs `script` ('bare' or 'bundle') at `rate` requests/s for the fixture's seconds with `vus` pre-allocated VUs. */
  run: (k6: string, script: 'bare' | 'bundle', rate: number, vus: number) => Promise<K6Run>;
  /** k6's CPU to start the bundle with `vus` VUs that each run one empty iteration: start-up and VU initialisation. */
  initOnly: (k6: string, vus: number) => Promise<number>;
  close: () => Promise<void>;
}

const runK6 = (k6: string, dir: string, script: string, target: string): Promise<number> => {
  const report = join(dir, 'cpu.txt');
  const wrapper = join(dir, 'k6-cpu');
  writeFileSync(wrapper, `#!/usr/bin/env bash\n"${k6}" "$@"; rc=$?; times > "${report}"; exit $rc\n`);
  chmodSync(wrapper, 0o755);
  return new Promise((resolve, reject) => {
    let err = '';
    const child = spawn(wrapper, ['run', '--no-usage-report', '-q', '--address', '', '-e', `TARGET=${target}`, script], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`k6 exited ${code}: ${err.slice(-2000)}`));
      // The second line of `times`: the children's user and system time, "0m1.234s 0m0.123s".
      const [user, system] = (readFileSync(report, 'utf8').trim().split('\n')[1] ?? '').split(/\s+/);
      const seconds = (text = ''): number => {
        const m = /(\d+)m([\d.]+)s/.exec(text);
        return m === null ? Number.NaN : Number(m[1]) * 60 + Number(m[2]);
      };
      resolve((seconds(user) + seconds(system)) * 1000);
    });
  });
};

const executor = (rate: number, vus: number, exec: string): string =>
  JSON.stringify({ executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: `${SECONDS}s`, preAllocatedVUs: vus, maxVUs: vus, exec, gracefulStop: '30s' });

const SUMMARY = `export function handleSummary(data) { return { 'metrics.json': JSON.stringify(data.metrics) }; }\n`;

/** The bare request: the fixture's first request, encoded as the bundle encodes it, with the bundle's headers. */
const bareRequest = (scenario: Scenario): { path: string; body: string; headers: Record<string, string> } => {
  const spec = specFor(scenario, variantOf(50));
  const request = spec.traffic.load.build(0, 0, iterationRng(scenario.seed, 'load', 0));
  if (request === null) throw new Error('the fixture builds no request');
  const wire = anthropicWire.encode(request, 'cc-acme');
  const headers = { ...wire.headers, 'x-cachecast-class': 'interactive', 'x-cachecast-attempt': '0', 'x-cachecast-output-tokens': '20', 'x-cachecast-traffic': 'load', 'x-cachecast-iteration': '0', 'x-cachecast-session': 's-0' };
  return { path: wire.path, body: wire.body, headers };
};

export const startBench = async (): Promise<Bench> => {
  const scenario = await loadScenario(FIXTURE, process.cwd());
  const variant = variantOf(50);
  const { app, clock }: { app: FastifyInstance; clock: { start: () => void } } = await buildLiveMock({ scenario, variant, spec: specFor(scenario, variant), timeScale: 1 });
  clock.start();
  const target = await app.listen({ host: '127.0.0.1', port: 0 });
  const root = mkdtempSync(join(tmpdir(), 'cachecast-k6-cost-'));
  const bare = bareRequest(scenario);
  // Warm: the prompt is written by this request and read by every request after it.
  await (await fetch(`${target}${bare.path}`, { method: 'POST', body: bare.body, headers: bare.headers })).text();
  writeFileSync(join(root, 'body.json'), bare.body);
  const bundles = new Map<number, string>();
  const bundleFor = async (rate: number): Promise<string> => {
    const known = bundles.get(rate);
    if (known !== undefined) return known;
    const path = join(root, `bundle-${rate}.js`);
    await buildK6Script({ scenario, scenarioPath: FIXTURE, variant: variantOf(rate), timeScale: 1, target, outFile: path });
    bundles.set(rate, path);
    return path;
  };
  let n = 0;
  return {
    target,
    run: async (k6, script, rate, vus) => {
      const dir = join(root, `run-${++n}`);
      mkdirSync(dir);
      const path = join(dir, 'script.js');
      if (script === 'bare') {
        writeFileSync(
          path,
          `import http from 'k6/http';\nconst body = open('${join(root, 'body.json')}');\nconst headers = ${JSON.stringify(bare.headers)};\n` +
            `export const options = { scenarios: { load: ${executor(rate, vus, 'send')} } };\n` +
            `export function send() { http.post(__ENV.TARGET + '${bare.path}', body, { headers, timeout: '600s', responseType: 'text' }); }\n${SUMMARY}`,
        );
      } else {
        const exec = execName(0, 'load');
        // The bundle as `cachecast live` builds it, its options but for the executor's VUs.
        writeFileSync(
          path,
          `const b = require('${await bundleFor(rate)}');\nexport const options = Object.assign({}, b.options, { scenarios: { load: ${executor(rate, vus, exec)} } });\n` +
            `export const ${exec} = b.${exec};\n${SUMMARY}`,
        );
      }
      const before = process.cpuUsage();
      const k6CpuMs = await runK6(k6, dir, path, target);
      const used = process.cpuUsage(before);
      const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Record<string, { values: { count?: number } } | undefined>;
      return {
        rate,
        vus,
        requests: metrics.http_reqs?.values.count ?? 0,
        dropped: metrics.dropped_iterations?.values.count ?? 0,
        k6CpuMs,
        mockCpuMs: (used.user + used.system) / 1000,
      };
    },
    initOnly: async (k6, vus) => {
      const dir = join(root, `run-${++n}`);
      mkdirSync(dir);
      const path = join(dir, 'script.js');
      writeFileSync(
        path,
        `require('${await bundleFor(50)}');\nexport const options = { scenarios: { init: { executor: 'per-vu-iterations', vus: ${vus}, iterations: 1, exec: 'noop' } } };\nexport function noop() {}\n`,
      );
      return runK6(k6, dir, path, target);
    },
    close: async () => {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
};
