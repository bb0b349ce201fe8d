import { readFileSync } from 'node:fs';
import { loadScenario } from './bin/cli/load-scenario.ts';
import { prepareWindow } from './k6/live-window.ts';
const [dir, variant] = process.argv.slice(2);
const w = await prepareWindow(await loadScenario('batch-interactive-collision', '/work/wt/k6r'), variant, '12m..14m');
const live = readFileSync(`${dir}/ledger.ndjson`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.kind === 'request');
const f = (rs: any[]) => rs.filter((r) => r.class === 'interactive' && (r.status === 429 || r.attempt > 0)).sort((a, b) => a.atMs - b.atMs).map((r) => `${new Date(r.atMs).toISOString().slice(14, 23)} ${r.session} a${r.attempt} ${r.status} ra${r.retryAfterMs}`);
const a = f(w.reference.requests), b = f(live);
for (let i = 0; i < Math.max(a.length, b.length); i++) console.log((a[i] ?? '').padEnd(45), b[i] ?? '');
