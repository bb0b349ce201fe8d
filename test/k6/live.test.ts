import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
import type { RunSummary } from '../../core/ledger/run-summary.ts';
import { runCli } from '../cli/helpers.ts';
import { FIXTURES, ROOT, tempDir } from './helpers.ts';

const TINY = join(FIXTURES, 'tiny-live.ts');
const FAKE_K6 = join(FIXTURES, 'fake-k6');

const refused = (origin: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(origin);
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('cachecast live without k6', () => {
  it('stops at once with CC_ERR_K6_MISSING, where to get k6, and that `cachecast run` needs none (exit code 2)', () => {
    const out = join(tempDir(), 'never');
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/cachecast'), 'live', TINY, '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: '/nonexistent' },
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error CC_ERR_K6_MISSING: k6 is not installed (no `k6` on PATH)');
    expect(result.stderr).toContain('https://grafana.com/docs/k6/latest/set-up/install-k6/');
    expect(result.stderr).toContain('`cachecast run <scenario>` simulates the same scenario without k6');
    expect(existsSync(out)).toBe(false);
  });

  it('names the --k6 path when nothing executable is there', async () => {
    const { error } = await runCli(['live', TINY, '--k6', 'no/such/k6', '--out', join(tempDir(), 'x')]);
    expect(error?.code).toBe('CC_ERR_K6_MISSING');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain(join(ROOT, 'no/such/k6'));
  });
});

describe('cachecast live with a k6 (the harness stand-in)', () => {
  const out = join(tempDir(), 'live');
  const argsFile = join(tempDir(), 'k6-args.json');
  let result: Awaited<ReturnType<typeof runCli>>;
  let k6Args: string[];
  let rows: LedgerRow[];

  beforeAll(async () => {
    process.env.FAKE_K6_ARGS_FILE = argsFile;
    result = await runCli(['live', TINY, '--k6', FAKE_K6, '--time-scale', '20', '--out', out]);
    delete process.env.FAKE_K6_ARGS_FILE;
    k6Args = JSON.parse(readFileSync(argsFile, 'utf8')) as string[];
    rows = readFileSync(join(out, 'ledger.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as LedgerRow);
  }, 120_000);
  afterAll(() => {
    delete process.env.FAKE_K6_ARGS_FILE;
  });

  it('runs k6 on the bundle with --no-usage-report, a loopback --address and the mock provider as target', () => {
    expect(result.error).toBeUndefined();
    expect(k6Args[0]).toBe('run');
    expect(k6Args).toContain('--no-usage-report');
    expect(k6Args[k6Args.indexOf('--address') + 1]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(k6Args.find((a) => a.startsWith('CACHECAST_TARGET='))).toMatch(/^CACHECAST_TARGET=http:\/\/127\.0\.0\.1:\d+$/);
    expect(k6Args[k6Args.length - 1]).toBe(join(out, 'k6-script.js'));
  });

  it('leaves the ledger, k6\'s summary and summary.json in --out', () => {
    const requests = rows.filter((r): r is RequestRow => r.kind === 'request');
    // 3 per second for 20 s, every one answered.
    expect(requests).toHaveLength(60);
    expect(requests.every((r) => r.status === 200 && r.scenario === 'tiny-live' && r.variant === 'baseline')).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.driver).toBe('live');
    expect(summary.totals.requests).toBe(60);
    expect(summary.totals.cacheReadTokens).toBe(requests.reduce((a, r) => a + r.cacheReadTokens, 0));
    expect(summary.expectations.map((e) => e.name)).toEqual(['hit-rate']);
    const k6Summary = JSON.parse(readFileSync(join(out, 'k6-summary.json'), 'utf8')) as { cachecast: { responses: number; hitRate: number } };
    expect(k6Summary.cachecast.responses).toBe(60);
    expect(k6Summary.cachecast.hitRate).toBeCloseTo(summary.totals.hitRate, 12);
    expect(result.out).toContain('hit rate (tokens)');
  });

  it('applies the scenario\'s provider events and phases at their provider times', () => {
    const events = rows.filter((r) => r.kind === 'event');
    expect(events.map((e) => [e.atMs - Date.parse('2026-03-02T09:00:00Z'), e.kind === 'event' ? e.name : ''])).toEqual([
      [5_000, 'phase'],
      [10_000, 'tokenizer-upgrade'],
    ]);
    // Requests after the upgrade miss the prefix written before it (one the model saw after the
    // upgrade has its time, at least: mock-provider/sent-at.ts).
    const after = rows.filter((r): r is RequestRow => r.kind === 'request' && r.atMs >= events[1].atMs);
    expect(after.some((r) => r.cacheWriteTokens >= 3_000)).toBe(true);
  });

  it('stops the mock provider when k6 is done', async () => {
    const target = k6Args.find((a) => a.startsWith('CACHECAST_TARGET='))?.split('=')[1] ?? '';
    expect(await refused(target)).toBe(true);
  });
});

describe('cachecast k6 build', () => {
  it('writes the script and says how to run it', async () => {
    const file = join(tempDir(), 'stampede.js');
    const { out, error } = await runCli(['k6', 'build', 'stampede', '--time-scale', '60', '--out', file]);
    expect(error).toBeUndefined();
    expect(out).toMatch(/stampede\.js \(\d+\.\d kB\): k6 run /);
    expect(readFileSync(file, 'utf8')).toContain('module.exports = __toCommonJS(');
  });

  it('refuses a time scale that is not a positive number', async () => {
    const { error } = await runCli(['k6', 'build', 'stampede', '--time-scale', '0']);
    expect(error?.code).toBe('CC_ERR_USAGE');
    expect(error?.message).toContain('--time-scale must be a positive number');
  });
});
