// `npm run bench`: every benchmark, one after the other, printing figures and ratios to targets.
import { benchSimulator } from './simulator.bench.ts';

const benches: Array<[string, () => Promise<void>]> = [['simulator', benchSimulator]];

try {
  const { benchMockProvider } = await import('./mock-provider.bench.ts');
  benches.push(['mock provider', benchMockProvider]);
} catch (error) {
  console.log(`(mock-provider benchmark unavailable: ${error instanceof Error ? error.message : String(error)})`);
}

for (const [name, bench] of benches) {
  console.log(`\n== ${name}`);
  await bench();
}
