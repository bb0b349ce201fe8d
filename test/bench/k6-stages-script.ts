// Runs inside real k6 (bundled by k6-stages.ts): the bundle's own JavaScript per request, stage by
// stage, on the k6-cost fixture's request and one real answer to it. The marginal figure of
// k6-cost.bench.ts says what a request costs k6 in all; this says how much of it is cachecast's
// code (build, encode, decode, metrics) and so how much is k6's own handling of the request.
// One VU, one iteration: each stage runs REPS times in a loop, timed with Date.now() (whole
// milliseconds: over REPS calls, a microsecond a call), best of ROUNDS, since k6's runtime compiles
// nothing and a round's spread comes from the machine alone.

import http from 'k6/http';
import { createMetrics } from '../../k6/bundle/custom-metrics.ts';
import { answerCostUsd } from '../../k6/bundle/cost.ts';
import { WIRES } from '../../k6/bundle/wire/registry.ts';
import { mergeConfig, type ProviderConfig } from '../../core/model/config.ts';
import { PROFILES } from '../../core/model/profiles/index.ts';
import { iterationStreams } from '../../core/random/streams.ts';
import scenario, { variantOf } from './fixtures/k6-cost.ts';

const REPS = 1_000;
const ROUNDS = 3;

const spec = scenario.setup(variantOf(50));
const config = mergeConfig<ProviderConfig>(PROFILES[spec.provider.profile], spec.provider.overrides);
const codec = WIRES[config.wire];
const load = spec.traffic.load;
const rng = iterationStreams(scenario.seed, 'load');
const metrics = createMetrics();

/** Microseconds a call of `f`, best of ROUNDS loops of REPS calls. */
const micros = (f: (i: number) => void): number => {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = Date.now();
    for (let i = 0; i < REPS; i++) f(i);
    best = Math.min(best, ((Date.now() - t0) * 1000) / REPS);
  }
  return best;
};

export const options = { scenarios: { stages: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } } };

export default function stages(): void {
  if (!('build' in load)) throw new Error('the k6-cost fixture has no arrival-rate traffic');
  const requests = Array.from({ length: REPS }, (_, i) => load.build(i, i * 20, rng(i)));
  const first = requests[0];
  if (first === null || requests.some((r) => r === null)) throw new Error('the fixture built no request');
  const wire = codec.encode(first, 'cc-acme');
  // The answer the bundle decodes: the mock provider's own, for this request.
  const res = http.post(`${__ENV.TARGET}${wire.path}`, wire.body, { headers: wire.headers, responseType: 'text' });
  const body = typeof res.body === 'string' ? res.body : '';
  const answer = res.status === 200 ? codec.decode(body, wire.streaming) : undefined;
  if (answer === undefined) throw new Error(`the mock provider answered ${res.status}: ${body.slice(0, 200)}`);
  const tags = { tenant: first.tenant, class: first.class ?? 'interactive' };
  const figures = {
    build: micros((i) => load.build(i, i * 20, rng(i))),
    encode: micros((i) => codec.encode(requests[i] ?? first, 'cc-acme')),
    decode: micros(() => codec.decode(body, wire.streaming)),
    metrics: micros(() => metrics.record({ status: 200, usage: answer.usage, costUsd: answerCostUsd(config, answer.model, first.model, answer.usage), ttftMs: 100 }, tags)),
    requestBytes: wire.body.length,
    answerBytes: body.length,
  };
  console.log(JSON.stringify({ cachecastStages: figures }));
}
