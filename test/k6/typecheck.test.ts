import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

it('type-checks the k6-facing code against @types/k6, with k6\'s globals and no Node types', () => {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(ROOT, 'k6/bundle/tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
  expect(`${result.stdout}${result.stderr}`).toBe('');
  expect(result.status).toBe(0);
});
