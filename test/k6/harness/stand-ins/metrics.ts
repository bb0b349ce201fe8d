// Stand-in for `k6/metrics`: every add becomes a sample the harness aggregates as k6 would.
import { host, type MetricType } from '../host.ts';

const metric = (type: MetricType) =>
  class {
    readonly name: string;
    readonly isTime: boolean;
    constructor(name: string, isTime = false) {
      this.name = name;
      this.isTime = isTime;
    }
    add(value: number | boolean, tags: Record<string, string> = {}): void {
      host().sample({ metric: this.name, type, isTime: this.isTime, value: Number(value), tags });
    }
  };

export const Counter = metric('counter');
export const Rate = metric('rate');
export const Trend = metric('trend');
export const Gauge = metric('gauge');
export default { Counter, Rate, Trend, Gauge };
