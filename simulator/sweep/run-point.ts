// One point of a sweep and one seed → its run summary: a pure function of (target, settings,
// seed), so the result never depends on which worker ran it or in what order.

import { pathToFileURL } from 'node:url';
import type { RunSummary } from '../../core/ledger/run-summary.ts';
import { mergeConfig, type DeepPartial, type ProviderConfig } from '../../core/model/config.ts';
import { PROFILES, type ProfileName } from '../../core/model/profiles/index.ts';
import { lruBlocksWithBlockSize } from '../../core/model/profiles/lru-blocks.ts';
import type { Scenario, ScenarioSpec } from '../../scenarios/kit/format.ts';
import { replayTrace } from '../replay/replay.ts';
import { runScenario } from '../run.ts';
import { applySettings, type Setting, TRAFFIC_SCALE, trafficScaleOf } from './config-path.ts';
import { scaleTraffic } from './scale-traffic.ts';

export type SweepTarget =
  | { kind: 'trace'; file: string; profile: ProfileName; blockTokens: number; model?: string }
  | { kind: 'scenario'; path: string; variant: string };

/** The profile a trace target replays on, before the point's settings. */
export const traceBaseConfig = (target: Extract<SweepTarget, { kind: 'trace' }>): ProviderConfig =>
  target.profile === 'lru-blocks' ? lruBlocksWithBlockSize(target.blockTokens) : PROFILES[target.profile];

const nest = (settings: readonly Setting[]): DeepPartial<ProviderConfig> => {
  let overrides: Record<string, unknown> = {};
  for (const { path, value } of settings) {
    if (path === TRAFFIC_SCALE) continue;
    const nested = path
      .split('.')
      .reverse()
      .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
    overrides = mergeConfig<Record<string, unknown>>(overrides, nested);
  }
  return overrides as DeepPartial<ProviderConfig>;
};

/** The scenario with the point's settings merged into its provider overrides and its traffic scaled. */
export const withSettings = (scenario: Scenario, settings: readonly Setting[]): Scenario => {
  const overrides = nest(settings);
  const scale = trafficScaleOf(settings);
  return {
    ...scenario,
    setup: (variant: string): ScenarioSpec => {
      const spec = scenario.setup(variant);
      return {
        ...spec,
        provider: { ...spec.provider, overrides: mergeConfig<DeepPartial<ProviderConfig>>(spec.provider.overrides ?? {}, overrides) },
        traffic: scaleTraffic(spec.traffic, scale),
      };
    },
  };
};

const scenarios = new Map<string, Promise<Scenario>>();
const loadScenarioModule = (path: string): Promise<Scenario> => {
  let loaded = scenarios.get(path);
  if (loaded === undefined) {
    loaded = import(pathToFileURL(path).href).then((m: { default: Scenario }) => m.default);
    scenarios.set(path, loaded);
  }
  return loaded;
};

export const runPoint = async (target: SweepTarget, settings: readonly Setting[], seed: string): Promise<RunSummary> => {
  if (target.kind === 'trace') {
    return replayTrace({
      file: target.file,
      config: applySettings(traceBaseConfig(target), settings),
      seed,
      blockTokens: target.blockTokens,
      model: target.model,
      trafficScale: trafficScaleOf(settings),
    });
  }
  const scenario = await loadScenarioModule(target.path);
  return runScenario({ scenario: withSettings(scenario, settings), variant: target.variant, seed });
};
