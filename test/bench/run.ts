// `npm run bench`: every benchmark, one after the other, printing figures and ratios to targets.
import { benchCliStartup } from './cli-startup.bench.ts';
import { benchDoctor } from './doctor.bench.ts';
import { benchK6Cost } from './k6-cost.bench.ts';
import { benchK6Vus } from './k6-vus.bench.ts';
import { benchMockProvider } from './mock-provider.bench.ts';
import { benchReplay } from './replay.bench.ts';
import { benchSimulator } from './simulator.bench.ts';

// [tags, title, bench]: `npm run bench -- k6` runs the benches tagged k6 (both real-k6 benches),
// `npm run bench -- mock` the mock provider's alone.
const benches: Array<[string[], string, () => Promise<void>]> = [
  [['simulator'], 'simulator', benchSimulator],
  [['mock'], 'mock provider', benchMockProvider],
  [['k6', 'k6-cost'], 'real k6: CPU per request (marginal), per VU, drivable rate', benchK6Cost],
  [['k6', 'k6-vus', 'vus'], 'real k6: 1,000 VUs against one mock provider', benchK6Vus],
  [['replay', 'sweep'], 'replay and sweep', benchReplay],
  [['doctor'], 'doctor', benchDoctor],
  [['startup', 'cli'], 'cli start-up', benchCliStartup],
];

const only = process.argv.slice(2);
const unknown = only.filter((word) => !benches.some(([tags]) => tags.includes(word)));
if (unknown.length > 0) {
  console.error(`npm run bench: no bench tagged ${unknown.join(', ')}; tags: ${[...new Set(benches.flatMap(([tags]) => tags))].join(', ')}`);
  process.exit(2);
}
for (const [tags, title, bench] of benches) {
  if (only.length > 0 && !only.some((word) => tags.includes(word))) continue;
  console.log(`\n== ${title}`);
  await bench();
}
