// `npm run bench`: every benchmark, one after the other, printing figures and ratios to targets.
import { benchCliStartup } from './cli-startup.bench.ts';
import { benchDoctor } from './doctor.bench.ts';
import { benchK6Cost } from './k6-cost.bench.ts';
import { benchK6Vus } from './k6-vus.bench.ts';
import { benchMockProvider } from './mock-provider.bench.ts';
import { benchReplay } from './replay.bench.ts';
import { benchSimulator } from './simulator.bench.ts';

const benches: Array<[string, () => Promise<void>]> = [
  ['simulator', benchSimulator],
  ['mock provider', benchMockProvider],
  ['real k6: CPU per request (marginal), per VU, drivable rate', benchK6Cost],
  ['real k6: 1,000 VUs against one mock provider', benchK6Vus],
  ['replay and sweep', benchReplay],
  ['doctor', benchDoctor],
  ['cli start-up', benchCliStartup],
];

// `npm run bench -- k6`: only the benches whose name holds one of the arguments.
const only = process.argv.slice(2);
for (const [name, bench] of benches) {
  if (only.length > 0 && !only.some((word) => name.includes(word))) continue;
  console.log(`\n== ${name}`);
  await bench();
}
