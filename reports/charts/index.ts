import type { Figures } from '../aggregate/figures.ts';
import type { ChartSpec } from './common.ts';
import { costOverTime } from './cost-over-time.ts';
import { hitRateOverTime } from './hit-rate.ts';
import { nodeLoad } from './nodes.ts';
import { sessionHitRates } from './sessions.ts';
import { trafficOverTime } from './traffic.ts';
import { ttftOverTime } from './ttft.ts';

export type { ChartSpec } from './common.ts';

/** Every figure of the report, in reading order. */
export const CHARTS: Array<(figures: Figures) => ChartSpec> = [
  costOverTime,
  hitRateOverTime,
  trafficOverTime,
  ttftOverTime,
  sessionHitRates,
  nodeLoad,
];
