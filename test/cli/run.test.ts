import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, spawnCli, tempDir } from './helpers.ts';
import { toNdjsonLine } from '../../core/ledger/ndjson.ts';
import { baselineVariant } from '../../scenarios/kit/format.ts';
import { runScenario } from '../../simulator/run.ts';
import { loadScenario } from '../../bin/cli/load-scenario.ts';

/** A one-variant scenario module in `dir` whose setup returns `spec` (source text); its path. */
const scenarioFile = (dir: string, name: string, spec: string): string => {
  const file = join(dir, `${name}.ts`);
  // Scenario files are ES modules: a user's repository has "type": "module" (or uses .mts).
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(
    file,
    `import { defineScenario } from '${join(ROOT, 'scenarios/kit/format.ts')}';
export default defineScenario({ name: '${name}', description: 'x', variants: { baseline: 'b' }, setup: () => (${spec}) });\n`,
  );
  return file;
};

describe('cachecast run', () => {
  it('writes ledger.ndjson and summary.json and prints the summary table', async () => {
    const out = tempDir();
    const result = await runCli(['run', 'stampede', '--variant', 'ttl-1h', '--out', out]);
    expect(result.error).toBeUndefined();
    const rows = readFileSync(join(out, 'ledger.ndjson'), 'utf8').trim().split('\n');
    expect(rows.length).toBe(105_403);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.totals.requests).toBe(105_400);
    expect(summary.expectations.every((e: { pass: boolean }) => e.pass)).toBe(true);
    expect(result.out).toContain('PASS  writes-in-first-minute: 0 (want <= 0)');
    expect(result.err).toContain('100%');
  });

  // The run happens in a worker thread; its ledger is byte for byte the in-thread run's.
  it('writes the ledger an in-thread run of affinity-overflow writes, byte for byte', async () => {
    const out = tempDir();
    const result = await runCli(['run', 'affinity-overflow', '--out', out]);
    expect(result.error).toBeUndefined();
    const scenario = await loadScenario('affinity-overflow', ROOT);
    const lines: string[] = [];
    await runScenario({ scenario, variant: baselineVariant(scenario), sink: (row) => lines.push(toNdjsonLine(row)) });
    const ledger = readFileSync(join(out, 'ledger.ndjson'), 'utf8');
    expect(ledger.split('\n').length - 1).toBe(6_000);
    expect(createHash('sha256').update(ledger).digest('hex')).toBe(createHash('sha256').update(lines.join('')).digest('hex'));
  });

  // Issue 16, item 11: an --out that is an existing file gave a raw EEXIST.
  it('names --out when a file is in the way', async () => {
    const dir = tempDir();
    const file = join(dir, 'taken');
    writeFileSync(file, 'x');
    const result = await runCli(['run', 'stampede', '--out', file]);
    expect([result.error?.code, result.error?.message]).toEqual(['CC_ERR_USAGE', `--out ${file}: a file is in the way; give a directory`]);
  });

  it('names the scenario and variant whose setup() throws', async () => {
    const file = scenarioFile(tempDir(), 'thrower', '(() => { throw new Error("no such fixture"); })()');
    const result = await runCli(['run', file, '--out', tempDir()]);
    expect([result.error?.code, result.error?.message]).toEqual(['CC_ERR_SCENARIO_INVALID', 'scenario "thrower":\nsetup("baseline") threw: no such fixture']);
  });

  it('refuses a request build() returns in the wrong shape, naming traffic, iteration and field', async () => {
    const dir = tempDir();
    let n = 0;
    // A file per case: a module is imported once per path.
    const build = (request: string) =>
      scenarioFile(dir, `shapes${n++ === 0 ? '' : n}`, `{ provider: { profile: 'anthropic' }, traffic: { t: { executor: 'constant-arrival-rate', rate: 1, duration: '1m', build: () => (${request}) } } }`);
    const run = async (request: string) => (await runCli(['run', build(request), '--out', tempDir()])).error;
    const base = "{ tenant: 'acme', model: 'claude-sonnet-4-6', segments: [{ hash: 1, tokens: 10 }], outputTokens: 5";
    const seven = await run(`{ ...${base} }, tenant: 7 }`);
    expect([seven?.code, seven?.message]).toEqual(['CC_ERR_SCENARIO_INVALID', 'scenario "shapes" (baseline): traffic "t": build(0) returned a bad request: tenant: expected a non-empty string, got 7']);
    expect((await run(`${base.replace('outputTokens: 5', 'outputTokens: NaN')} }`))?.message).toContain('outputTokens: expected a whole number >= 0, got null');
    expect((await run(`${base}, maxTokens: -3 }`))?.message).toContain('maxTokens: expected a whole number >= 0, got -3');
  });

  it('exits 2 without a stack trace for an unknown scenario, naming the built-in ones', () => {
    const result = spawnCli(['run', 'no-such-scenario']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('CC_ERR_SCENARIO_NOT_FOUND');
    expect(result.stderr).toContain('stampede');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for an unknown variant, listing the variants', () => {
    const result = spawnCli(['run', 'stampede', '--variant', 'nope']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('its variants are: baseline, jitter, single-flight, proactive-refresh, ttl-1h');
  });

  it('names the field of an invalid scenario', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir, 'bad', `{ provider: { profile: 'anthropic' }, traffic: { t: { executor: 'constant-arrival-rate', rate: -1, duration: '1m', build: () => null } } }`);
    const result = await runCli(['run', file, '--out', dir]);
    expect(result.error?.code).toBe('CC_ERR_SCENARIO_INVALID');
    expect(result.error?.message).toContain('traffic.t.rate');
    expect(existsSync(join(dir, 'ledger.ndjson'))).toBe(false);
  });

  it.each([
    ['a wrong type in provider overrides', `overrides: { faults: { overloadRate: 'high' } }`, 'setup("baseline").provider.overrides.faults.overloadRate: '],
    ['a misspelt override key', `overrides: { caching: { ttl: { '5m': 1000 } } }`, 'setup("baseline").provider.overrides.caching: Unrecognized key: "ttl"'],
    ['an alias to a missing model', `overrides: { aliases: { fast: 'claude-nope' } }`, 'setup("baseline").provider.overrides.aliases.fast: points at "claude-nope"'],
  ])('names the field of %s', async (_name, overrides, message) => {
    const dir = tempDir();
    const file = scenarioFile(dir, 'bad-provider', `{ provider: { profile: 'anthropic', ${overrides} }, traffic: { t: { executor: 'constant-arrival-rate', rate: 1, duration: '1m', build: () => null } } }`);
    const result = await runCli(['run', file, '--out', dir]);
    expect(result.error?.code).toBe('CC_ERR_SCENARIO_INVALID');
    expect(result.error?.message).toContain(message);
    expect(existsSync(join(dir, 'ledger.ndjson'))).toBe(false);
  });

  it('names the field of an invalid provider event', async () => {
    const dir = tempDir();
    const file = scenarioFile(
      dir,
      'bad-event',
      `{ provider: { profile: 'anthropic' }, events: [{ at: '10s', event: { kind: 'capacity-cut', factor: 2 } }],
    traffic: { t: { executor: 'constant-arrival-rate', rate: 1, duration: '1m', build: () => null } } }`,
    );
    const result = await runCli(['run', file, '--out', dir]);
    expect(result.error?.code).toBe('CC_ERR_SCENARIO_INVALID');
    expect(result.error?.message).toContain('setup("baseline").events.0.event.factor: ');
  });
});

describe('cachecast list', () => {
  it('lists every scenario with its variants', async () => {
    const result = await runCli(['list', '--json']);
    const list = JSON.parse(result.out) as Array<{ name: string; variants: Record<string, string> }>;
    const stampede = list.find((s) => s.name === 'stampede');
    expect(Object.keys(stampede?.variants ?? {})).toEqual(['baseline', 'jitter', 'single-flight', 'proactive-refresh', 'ttl-1h']);
  });
});
