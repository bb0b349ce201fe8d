import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxTokensOf } from '../../k6/bundle/wire/types.ts';
import { toK6Scenarios } from '../../k6/bundle/k6-scenarios.ts';
import { TOKENS_PER_SAMPLE } from '../../k6/bundle/hit-ratio.ts';
import type { Segment } from '../../core/model/types.ts';
import { bundleOf, FIXTURES, type LiveInProcess, readRequest, runAgainstMock, simulate } from './helpers.ts';

const PARITY = join(FIXTURES, 'parity.ts');

describe('cachecast k6 build', () => {
  it('maps the stampede traffic to k6 scenarios with the same executors, divided by the time scale', async () => {
    const bundle = await bundleOf('stampede', 'baseline', 60);
    expect(bundle.scenarios).toEqual({
      // 10 per 1 s ÷ 60 is 10 per 16.67 ms: 30 per 50 ms is the same rate in whole milliseconds.
      // VUs for 600 requests per wall second, each busy 30 s ÷ 60 + 50 ms (no measured latency here)
      // + 100 ms before its arrival (START_LEAD_WALL_MS): 390 in flight, 586 pre-allocated, 3,920 at most.
      // 5 s past its last arrival (catchUpWallMs: 3 m ÷ 20, at most 5 s) for k6's loop to catch up.
      steady: { executor: 'constant-arrival-rate', rate: 30, timeUnit: '50ms', duration: '3m5s', preAllocatedVUs: 586, maxVUs: 3920, exec: 'traffic0_steady', gracefulStop: '31s' },
      // 1,000 in 200 ms ÷ 60 is 3.33 ms: a burst k6 cannot schedule as an arrival rate, so one VU
      // per request, each waiting for its own offset after 14:00 (2 minutes on the wall).
      // Its VUs start 10 s early (BURST_LEAD_WALL_MS) to build, encode and connect before their arrivals.
      herd: { executor: 'per-vu-iterations', vus: 1000, iterations: 1, maxDuration: '1m10s4ms', exec: 'traffic1_herd', startTime: '1m50s', gracefulStop: '31s' },
    });
    expect(bundle.notes).toHaveLength(1);
    // Requests in flight at an executor's end finish: k6's 30 s plus the longest a request is busy.
    const measured = toK6Scenarios(bundle.scenario.setup('baseline').traffic, 1, { busyProviderMs: 83_485, overheadWallMs: 8_000 }).scenarios;
    expect(measured.steady.gracefulStop).toBe('2m2s');
    expect(measured.herd).toMatchObject({ executor: 'per-vu-iterations', maxDuration: '2m12s200ms' });
  });

  it('runs arrival rates past their last arrival so a lagging k6 loop starts every one (catchUpWallMs)', () => {
    const build = () => null;
    const { scenarios } = toK6Scenarios(
      {
        ramp: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', stages: [{ target: 10, duration: '10m' }, { target: 4, duration: '10m' }], build },
        short: { executor: 'constant-arrival-rate', rate: 10_000, timeUnit: '1s', duration: '30s', build },
      },
      60,
    );
    // 20 minutes ÷ 60 is 20 s on the wall: 1 s more (20 s ÷ 20) at the last rate, 4 a second.
    // (600 and 240 a wall second, as 30 and 12 per 50 ms.)
    expect(scenarios.ramp).toMatchObject({ executor: 'ramping-arrival-rate', timeUnit: '50ms', stages: [{ target: 30, duration: '10s' }, { target: 12, duration: '10s' }, { target: 12, duration: '1s' }] });
    // 500 ms on the wall, under k6's minimum, and too many for one VU each (300,000): a ramping
    // twin, 1 s longer (the catch-up's floor).
    expect(scenarios.short).toMatchObject({ executor: 'ramping-arrival-rate', stages: [{ duration: '1s500ms' }] });
  });

  it('writes one CommonJS module under 1 MB that requires nothing but k6 modules', async () => {
    const bundle = await bundleOf('stampede', 'single-flight', 60);
    const code = readFileSync(bundle.path, 'utf8');
    // CommonJS: k6 < 0.53 runs an ES module through Babel in its runtime (25 s for this script).
    const imports = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(['k6', 'k6/execution', 'k6/http', 'k6/metrics']));
    expect(code).not.toMatch(/^(import|export) /m);
    expect(code).toContain('module.exports = __toCommonJS(');
    expect(bundle.bytes).toBeLessThan(1_000_000);
    // No validator or histogram library rides along: validation and measures run in Node, and the
    // scenario types live apart from them (scenarios/kit/format.ts), so nothing is stubbed.
    expect(code).not.toMatch(/node_modules\/(zod|hdr-histogram-js|@assemblyscript)\//);
    expect(bundle.bytes).toBeLessThan(100_000);
    // ES2017 for k6 < 0.53, whose Babel cannot parse these.
    expect(code).not.toMatch(/\?\.[\w[(]|\?\?|\{\s*\.\.\./);
  });

  it('maps every executor kind, with start times and durations scaled', async () => {
    const bundle = await bundleOf(PARITY, 'anthropic', 10);
    expect(bundle.scenarios).toEqual({
      warmup: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '1m', exec: 'traffic0_warmup', gracefulStop: '34s' },
      // 300 ms and 300 ms on the wall: bursts, one VU per arrival, started as early as the test
      // allows (their 50 ms and 100 ms) to prepare.
      chat: { executor: 'per-vu-iterations', vus: 36, iterations: 1, maxDuration: '1m350ms', exec: 'traffic1_chat', gracefulStop: '34s' },
      'ramp-up': { executor: 'per-vu-iterations', vus: 17, iterations: 1, maxDuration: '1m400ms', exec: 'traffic2_ramp_up', gracefulStop: '34s' },
      batch: { executor: 'per-vu-iterations', vus: 2, iterations: 3, maxDuration: '1m', exec: 'traffic3_batch', startTime: '200ms', gracefulStop: '34s' },
      agents: { executor: 'ramping-vus', startVUs: 1, stages: [{ target: 1, duration: '100ms' }], exec: 'traffic4_agents', startTime: '300ms', gracefulStop: '34s' },
    });
  });
});

const sameRequest = (wire: 'anthropic' | 'openai', live: LiveInProcess, built: Map<string, unknown>) => {
  // Segment hashes differ by construction (the simulator hashes names, the mock hashes text), so
  // identity is checked as a one-to-one correspondence across every request. A segment is its
  // hash and its length: the same name at two lengths is two texts.
  const simToLive = new Map<string, number>();
  const liveToSim = new Map<number, string>();
  const correspond = (sim: Segment, seen: Segment): void => {
    const simKey = `${sim.hash}:${sim.tokens}`;
    expect(simToLive.get(simKey) ?? seen.hash).toBe(seen.hash);
    expect(liveToSim.get(seen.hash) ?? simKey).toBe(simKey);
    simToLive.set(simKey, seen.hash);
    liveToSim.set(seen.hash, simKey);
  };
  let compared = 0;
  for (const request of live.requests.filter((r) => r.headers['x-cachecast-traffic'] !== undefined)) {
    const key = `${request.headers['x-cachecast-traffic']}:${request.headers['x-cachecast-iteration']}`;
    const expected = built.get(key) as Parameters<typeof maxTokensOf>[0] | undefined;
    if (expected === undefined) continue;
    compared++;
    const seen = readRequest(wire, request);
    expect(seen.model, key).toBe(expected.model);
    expect(seen.maxTokens, key).toBe(wire === 'openai' ? Math.max(1, maxTokensOf(expected)) : maxTokensOf(expected));
    expect(seen.segments.map((s) => [s.tokens, s.breakpoint]), key).toEqual(expected.segments.map((s) => [s.tokens, wire === 'openai' ? undefined : s.breakpoint]));
    expected.segments.forEach((s, i) => correspond(s, seen.segments[i]));
    const auth = wire === 'anthropic' ? request.headers['x-api-key'] : request.headers.authorization.replace('Bearer ', '');
    expect(auth, key).toBe(`cc-${expected.tenant}`);
    expect(request.headers['x-cachecast-session'], key).toBe(expected.session);
    expect(request.headers['x-cachecast-class'], key).toBe(expected.class ?? 'interactive');
    expect(request.headers['x-cachecast-output-tokens'], key).toBe(String(expected.outputTokens));
  }
  return compared;
};

describe.each(['anthropic', 'openai'] as const)('a built bundle run against the mock provider (%s wire)', (wire) => {
  const TIME_SCALE = 10;
  let live: LiveInProcess;
  let sim: Awaited<ReturnType<typeof simulate>>;

  beforeAll(async () => {
    const bundle = await bundleOf(PARITY, wire, TIME_SCALE);
    sim = await simulate(bundle.scenario, wire);
    live = await runAgainstMock(bundle, wire, TIME_SCALE);
  });
  afterAll(async () => {
    await live.app.close();
  });

  it('runs every iteration without an exception', () => {
    expect(live.run.errors).toEqual([]);
  });

  it('sends, for every arrival-rate iteration, exactly the request the simulator builds', () => {
    const arrivals = [...sim.built.keys()].filter((k) => k.startsWith('chat:') || k.startsWith('ramp-up:'));
    const sent = new Set(live.requests.map((r) => `${r.headers['x-cachecast-traffic']}:${r.headers['x-cachecast-iteration']}`));
    expect(arrivals.length).toBe(36 + 17);
    for (const key of arrivals) expect(sent.has(key), key).toBe(true);
    expect(sameRequest(wire, live, sim.built)).toBeGreaterThanOrEqual(arrivals.length + 6);
  });

  it('feeds each response\'s usage into the custom metrics', () => {
    const rows = live.rows();
    const ok = rows.filter((r) => r.status === 200);
    const sumOf = (metric: string) => live.run.samples.filter((s) => s.metric === metric).reduce((a, s) => a + s.value, 0);
    const countOf = (metric: string) => live.run.samples.filter((s) => s.metric === metric).length;
    expect(rows.length).toBe(live.requests.filter((r) => r.headers['x-cachecast-traffic'] !== undefined).length);
    // One sample per answer that read the cache: a Counter's zeros are not sent (custom-metrics.ts).
    expect(countOf('cache_read_tokens')).toBe(ok.filter((r) => r.cacheReadTokens > 0).length);
    expect(ok.some((r) => r.cacheReadTokens === 0)).toBe(true);
    expect(sumOf('cache_read_tokens')).toBe(ok.reduce((a, r) => a + r.cacheReadTokens, 0));
    expect(sumOf('output_tokens')).toBe(ok.reduce((a, r) => a + r.outputTokens, 0));
    if (wire === 'anthropic') {
      expect(sumOf('cache_write_tokens')).toBe(ok.reduce((a, r) => a + r.cacheWriteTokens, 0));
      expect(sumOf('uncached_input_tokens')).toBe(ok.reduce((a, r) => a + r.inputTokens, 0));
    } else {
      // OpenAI's usage has no cache-write field: writes are part of the uncached input.
      expect(sumOf('cache_write_tokens')).toBe(0);
      expect(sumOf('uncached_input_tokens')).toBe(ok.reduce((a, r) => a + r.inputTokens + r.cacheWriteTokens, 0));
    }
    expect(sumOf('cost_usd')).toBeCloseTo(ok.reduce((a, r) => a + r.costUsd, 0), 12);
    expect(countOf('rate_limited')).toBe(rows.length);
    expect(countOf('ttft_ms')).toBe(ok.filter((r) => r.class !== 'warmup').length);
    const read = sumOf('cache_read_tokens');
    const all = read + sumOf('cache_write_tokens') + sumOf('uncached_input_tokens');
    const hitSamples = live.run.samples.filter((s) => s.metric === 'cache_hit_ratio');
    // One sample per TOKENS_PER_SAMPLE tokens, remainders carried per VU: within that many tokens per VU of exact.
    expect(hitSamples.filter((s) => s.value === 1).length * TOKENS_PER_SAMPLE).toBeGreaterThan(read - 8 * TOKENS_PER_SAMPLE);
    expect(hitSamples.length * TOKENS_PER_SAMPLE).toBeLessThanOrEqual(all);
  });

  it('turns expectations into thresholds, and handleSummary writes the JSON summary', () => {
    // Every bundle also fails k6 when over 1 % of responses are ones no scenario asks for.
    const thresholds = { unexpected_response_rate: ['rate<0.01'], ...(wire === 'anthropic' ? { cache_hit_ratio: ['rate>0.2'] } : { cache_hit_ratio: ['rate>0.2', 'rate>=2'] }) };
    expect(live.run.options.thresholds).toEqual(thresholds);
    expect(live.run.exitCode).toBe(wire === 'anthropic' ? 0 : 99);
    const written = JSON.parse(live.run.files['k6-summary.json']) as { cachecast: { hitRate: number; responses: number; costUsd: number } };
    const rows = live.rows();
    const read = rows.reduce((a, r) => a + r.cacheReadTokens, 0);
    const input = rows.reduce((a, r) => a + r.inputTokens + r.cacheReadTokens + r.cacheWriteTokens, 0);
    expect(written.cachecast.responses).toBe(rows.length);
    expect(written.cachecast.hitRate).toBeCloseTo(read / input, 12);
    expect(live.run.files.stdout).toContain('hit rate (tokens)');
  });
});
