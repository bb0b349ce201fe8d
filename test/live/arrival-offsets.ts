// How late live first attempts reach the model against the simulator's, per class, over a window:
// each live first attempt matched with the simulator's by class and order (the window's arrivals
// of one class are tens of ms of provider time apart, far more than any offset measured), and its
// `atMs` less the simulator's. A constant offset is a clock origin, a growing one drift, a spread
// one scheduling. Reads the out dir of `cachecast live --window` and simulates the same window.
//
//   node bin/cachecast live batch-interactive-collision --variant retry-jitter --window 12m..14m --time-scale 10 --out /tmp/w
//   npx tsx test/live/arrival-offsets.ts /tmp/w batch-interactive-collision retry-jitter 12m..14m

import { join } from 'node:path';
import { readLedger } from '../../core/ledger/read.ts';
import type { RequestRow } from '../../core/ledger/row.ts';
import { loadScenario } from '../../bin/cli/load-scenario.ts';
import { prepareWindow } from '../../k6/live-window.ts';
import { ROOT } from './k6-binaries.ts';

const quantile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const ms = (x: number): string => x.toFixed(1);

const main = async (): Promise<void> => {
  const [dir, scenarioName, variant, window] = process.argv.slice(2);
  if (window === undefined) throw new Error('usage: arrival-offsets.ts <out dir> <scenario> <variant> <window>');
  const prepared = await prepareWindow(await loadScenario(scenarioName, ROOT), variant, window);
  const live: RequestRow[] = [];
  await readLedger(join(dir, 'ledger.ndjson'), (row) => {
    if (row.kind === 'request') live.push(row);
  });
  const simulated = prepared.reference.requests;
  const firsts = (rows: RequestRow[], cls: string): RequestRow[] => rows.filter((r) => r.class === cls && r.attempt === 0).sort((a, b) => a.atMs - b.atMs);
  for (const cls of [...new Set(simulated.map((r) => r.class))]) {
    const sim = firsts(simulated, cls);
    const got = firsts(live, cls);
    const offsets = sim.flatMap((r, i) => (got[i] === undefined ? [] : [got[i].atMs - r.atMs]));
    const sorted = [...offsets].sort((a, b) => a - b);
    const thirds = [0, 1, 2].map((t) => offsets.slice(Math.floor((t * offsets.length) / 3), Math.floor(((t + 1) * offsets.length) / 3)).sort((a, b) => a - b));
    process.stdout.write(
      `${cls}: ${got.length} live first attempts (simulator ${sim.length}); live − simulated, provider ms: min ${ms(sorted[0])} p10 ${ms(quantile(sorted, 0.1))} median ${ms(quantile(sorted, 0.5))} ` +
        `p90 ${ms(quantile(sorted, 0.9))} max ${ms(sorted[sorted.length - 1])}; median by third of the window ${thirds.map((t) => ms(quantile(t, 0.5))).join(' / ')}\n`,
    );
  }
  const retries = (rows: RequestRow[]): number => rows.filter((r) => r.attempt > 0).length;
  const refused = (rows: RequestRow[]): number => rows.filter((r) => r.class === 'interactive' && r.attempt === 0 && r.status === 429).length;
  process.stdout.write(`retries: live ${retries(live)}, simulator ${retries(simulated)}; interactive first attempts refused (429): live ${refused(live)}, simulator ${refused(simulated)}\n`);
};

await main();
