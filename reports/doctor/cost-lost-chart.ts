// doctor.html's chart: dollars lost to each cause per time bucket, stacked, one colour per cause.
// Built from the findings JSON alone (reports read records, never the log).

import { FINDING_KINDS, type DoctorReport, type FindingKind } from '../../core/ledger/doctor-report.ts';
import { baseConfig, HEIGHT, usdAxis, WIDTH, type ChartSpec } from '../charts/common.ts';

const label = (bucketMs: number): string =>
  bucketMs % 86_400_000 === 0 ? `${bucketMs / 86_400_000} d` : bucketMs % 3_600_000 === 0 ? `${bucketMs / 3_600_000} h` : `${bucketMs / 60_000} min`;

/** Legend names, short enough for the legend column. */
const CAUSE_LABELS: Record<FindingKind, string> = {
  'volatile-prefix': 'volatile prefix',
  'unstable-serialisation': 'unstable serialisation',
  'breakpoint-placement': 'breakpoints, length, routing',
  'ttl-economics': 'TTL economics',
  'model-change': 'model change',
};

export const costLostChart = (report: DoctorReport): ChartSpec => {
  const kinds = FINDING_KINDS.filter((k) => report.series.some((p) => p.kind === k));
  const bucket = label(report.bucketMs);
  // Small logs lose cents per bucket: keep enough decimals to tell the ticks apart.
  const peakUsd = report.series.reduce((max, p) => Math.max(max, p.costUsd), 0);
  const axis = peakUsd >= 1 ? usdAxis : { format: '$,.4~f' };
  return {
    id: 'cost-lost',
    title: 'Cost lost per cause over time',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `Dollars lost per ${bucket} bucket, by cause`, subtitle: 'TTL economics spreads each prefix\u2019s saving over the time it was in use' },
      config: baseConfig,
      width: WIDTH,
      height: HEIGHT,
      data: { values: report.series.map((p) => ({ ...p, cause: CAUSE_LABELS[p.kind] })) },
      mark: { type: 'bar', opacity: 0.9 },
      encoding: {
        x: { field: 't', type: 'temporal', timeUnit: undefined, title: `log time (UTC), ${bucket} buckets`, scale: { type: 'utc' }, axis: { labelOverlap: true, grid: false, format: report.bucketMs >= 86_400_000 ? '%b %d' : '%b %d %H:%M' } },
        y: { field: 'costUsd', type: 'quantitative', aggregate: 'sum', stack: 'zero', title: `USD lost per ${bucket}`, axis },
        color: { field: 'cause', type: 'nominal', title: 'cause', scale: { domain: kinds.map((k) => CAUSE_LABELS[k]), scheme: 'tableau10' } },
      },
    } as ChartSpec['spec'],
  };
};
