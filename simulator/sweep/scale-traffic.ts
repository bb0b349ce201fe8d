// `traffic.scale` on a scenario: every arrival rate and VU count multiplied (VUs rounded, at
// least one), durations and request builders unchanged.

import type { Executor } from '../../scenarios/kit/format.ts';

const vus = (count: number, scale: number): number => Math.max(1, Math.round(count * scale));

export const scaleExecutor = (executor: Executor, scale: number): Executor => {
  switch (executor.executor) {
    case 'constant-arrival-rate':
      return { ...executor, rate: executor.rate * scale };
    case 'ramping-arrival-rate':
      return { ...executor, startRate: (executor.startRate ?? 0) * scale, stages: executor.stages.map((s) => ({ ...s, target: s.target * scale })) };
    case 'constant-vus':
      return { ...executor, vus: vus(executor.vus, scale) };
    case 'ramping-vus':
      return { ...executor, startVUs: executor.startVUs === undefined ? undefined : vus(executor.startVUs, scale), stages: executor.stages.map((s) => ({ ...s, target: s.target === 0 ? 0 : vus(s.target, scale) })) };
    case 'per-vu-iterations':
      return { ...executor, vus: vus(executor.vus, scale) };
  }
};

export const scaleTraffic = (traffic: Record<string, Executor>, scale: number): Record<string, Executor> =>
  scale === 1 ? traffic : Object.fromEntries(Object.entries(traffic).map(([name, executor]) => [name, scaleExecutor(executor, scale)]));
