// The model is pure (STYLE §2, DESIGN §1): no clock, no randomness, no environment, no I/O.
// This scans its source for the globals that reach for one and names every file:line; imports
// (no Node built-ins, nothing from above the model) are the dependency rules' job
// (.dependency-cruiser.cjs, test/architecture.test.ts).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const MODEL_DIR = join(ROOT, 'core', 'model');

const FORBIDDEN: Array<{ what: string; pattern: RegExp }> = [
  { what: 'Date.now(', pattern: /\bDate\.now\s*\(/ },
  { what: 'Math.random(', pattern: /\bMath\.random\s*\(/ },
  { what: 'new Date(', pattern: /\bnew\s+Date\s*\(/ },
  { what: 'process.', pattern: /\bprocess\s*\./ },
  { what: 'performance.', pattern: /\bperformance\s*\./ },
  { what: 'setTimeout', pattern: /\bsetTimeout\b/ },
  { what: 'setInterval', pattern: /\bsetInterval\b/ },
  { what: 'setImmediate', pattern: /\bsetImmediate\b/ },
];

/** A line with its comments removed: a whole-line comment, or ` // …` after code. */
const codeOf = (line: string): string => {
  const trimmed = line.trim();
  if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return '';
  return line.replace(/\s\/\/\s.*$/, '');
};

/** `file:line what` for every forbidden use in `text`. */
const findImpurities = (file: string, text: string): string[] =>
  text.split('\n').flatMap((line, i) => {
    const code = codeOf(line);
    return FORBIDDEN.filter(({ pattern }) => pattern.test(code)).map(({ what }) => `${file}:${i + 1} ${what}`);
  });

const modelFiles = (): string[] =>
  readdirSync(MODEL_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(MODEL_DIR, f))
    .sort();

describe('model purity', () => {
  it('finds every kind of impurity in a sample, naming file and line', () => {
    const sample = [
      'const now = Date.now();',
      'const draw = Math.random();',
      'const today = new Date();',
      'const seed = process.env.SEED;',
      'const t = performance.now();',
      'setTimeout(() => {}, 1);',
      '// Date.now() in a comment is fine',
      'const rng: Rng = draw; // not Math.random() here',
    ].join('\n');
    expect(findImpurities('sample.ts', sample)).toEqual([
      'sample.ts:1 Date.now(',
      'sample.ts:2 Math.random(',
      'sample.ts:3 new Date(',
      'sample.ts:4 process.',
      'sample.ts:5 performance.',
      'sample.ts:6 setTimeout',
    ]);
  });

  it('scans every source file of the model', () => {
    const names = modelFiles().map((f) => relative(MODEL_DIR, f));
    expect(names).toEqual(expect.arrayContaining(['provider.ts', 'cache-node.ts', 'quotas/token-bucket.ts', 'profiles/anthropic.ts']));
  });

  it('never reads the clock, randomness, the environment or the disk in core/model', () => {
    const found = modelFiles().flatMap((f) => findImpurities(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});
