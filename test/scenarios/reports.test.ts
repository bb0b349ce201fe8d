// Issue 6: a report for each scenario with its variants overlaid. The PNGs land in
// runs/scenario-reports/<scenario>/ so a person can look at them after `npm test`.

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInScenarios, loadScenario } from '../../bin/cli/load-scenario.ts';
import { writeReport } from '../../reports/write-report.ts';
import { openLedger } from '../../core/ledger/writer.ts';
import { runScenario } from '../../simulator/run.ts';

const OUT = resolve(import.meta.dirname, '../../runs/scenario-reports');

describe('a report per scenario, variants overlaid', () => {
  for (const name of builtInScenarios()) {
    it(`${name}: every variant in one report, one totals row each`, async () => {
      const scenario = await loadScenario(name, process.cwd());
      const dir = join(OUT, name);
      rmSync(dir, { recursive: true, force: true });
      const runs: string[] = [];
      for (const variant of Object.keys(scenario.variants)) {
        const runDir = join(dir, 'runs', variant);
        mkdirSync(runDir, { recursive: true });
        const ledger = openLedger(join(runDir, 'ledger.ndjson'));
        await runScenario({ scenario, variant, sink: ledger.write, drain: ledger.drain });
        await ledger.close();
        runs.push(runDir);
      }
      const files = await writeReport({ inputs: runs, outDir: dir });
      expect(files.pngPaths.length).toBe(6);
      for (const p of files.pngPaths) expect(existsSync(p)).toBe(true);
      const { figures } = JSON.parse((await import('node:fs')).readFileSync(files.jsonPath, 'utf8'));
      expect(figures.totals.map((t: { variant: string }) => t.variant)).toEqual(Object.keys(scenario.variants));
    });
  }
});
