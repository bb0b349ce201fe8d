// The floor plan is checked, not hoped for: `npm run lint:deps` (part of `npm test`) runs the rules in
// .dependency-cruiser.cjs over the tree. This test proves the rules bite: a small tree with one
// violation of each kind must be refused by name, and the real tree must pass.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const RULES = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;
const FOLDERS = ['core', 'scenarios', 'simulator', 'mock-provider', 'k6', 'reports', 'bin'];

const cruiseIn = async (baseDir: string, folders: string[]): Promise<ICruiseResult> => {
  const { tsConfig: _tsConfig, ...options } = RULES.options ?? {};
  const result = await cruise(folders, { ...options, ruleSet: { forbidden: RULES.forbidden }, baseDir, validate: true });
  return result.output as ICruiseResult;
};

const violations = (result: ICruiseResult): string[] =>
  result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();

const writeTree = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-arch-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
};

describe('the dependency rules', () => {
  it('refuse an upward import, I/O in the model, a driver importing its sibling and a cycle', async () => {
    const dir = writeTree({
      'core/model/provider.ts': "import { readFileSync } from 'node:fs';\nimport type { Row } from '../ledger/row.ts';\nexport const f = readFileSync;\nexport type R = Row;\n",
      'core/ledger/row.ts': 'export type Row = { costUsd: number };\n',
      'reports/chart.ts': "import { run } from '../simulator/run.ts';\nexport const c = run;\n",
      'simulator/run.ts': "import { app } from '../mock-provider/app.ts';\nexport const run = app;\n",
      'mock-provider/app.ts': "import { b } from './b.ts';\nexport const app = b;\n",
      'mock-provider/b.ts': "import { app } from './app.ts';\nexport const b = () => app;\n",
    });
    expect(violations(await cruiseIn(dir, ['core', 'reports', 'simulator', 'mock-provider']))).toEqual([
      'layer:core/model: core/model/provider.ts -> core/ledger/row.ts',
      'layer:reports: reports/chart.ts -> simulator/run.ts',
      'layer:simulator: simulator/run.ts -> mock-provider/app.ts',
      'model-is-pure: core/model/provider.ts -> fs',
      'no-cycles: mock-provider/app.ts -> mock-provider/b.ts',
    ]);
  });

  it('pass on the project itself', async () => {
    const result = await cruiseIn(ROOT, FOLDERS);
    expect(violations(result)).toEqual([]);
    expect(result.modules.map((m) => m.source)).toEqual(expect.arrayContaining(['core/model/provider.ts', 'k6/bundle/script.ts', 'mock-provider/app.ts', 'reports/write-report.ts', 'bin/cli/main.ts']));
  });
});
