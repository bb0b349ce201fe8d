import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../cli/helpers.ts';
import type { RequestRow } from '../../core/ledger/row.ts';
import { baselineRows, request, writeRun } from './fixture.ts';

describe('cachecast report', () => {
  it('writes the report beside a run directory and prints its path', async () => {
    const run = writeRun(baselineRows());
    const result = await runCli(['report', run, '--bucket', '30s', '--title', 'Fixture']);
    expect(result.error).toBeUndefined();
    expect(result.out).toBe(`report: ${join(run, 'report', 'report.html')}\n`);
    expect(existsSync(join(run, 'report', 'cost-over-time.png'))).toBe(true);
  });

  it('names the file and line of a malformed ledger row', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'bad.ndjson');
    writeFileSync(ledger, `${JSON.stringify(baselineRows()[0])}\n{"kind":"request","atMs":\n`);
    const result = await runCli(['report', ledger, '--out', join(dir, 'out')]);
    expect(result.error?.code).toBe('CC_ERR_LEDGER_UNREADABLE');
    expect(result.error?.message).toBe(`${ledger}:2: not a JSON line`);
  });

  // Issue 16, item 10: after kill -9 a torn last line made the whole ledger unreadable.
  it('ignores and reports a torn last line, but not a torn line in the middle', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'killed.ndjson');
    const rows = baselineRows();
    const whole = rows.map((row) => `${JSON.stringify(row)}\n`).join('');
    writeFileSync(ledger, `${whole}{"kind":"request","atMs":17`);
    const result = await runCli(['report', ledger, '--out', join(dir, 'out')]);
    expect(result.error).toBeUndefined();
    expect(result.err).toContain(`warning: ${ledger}:${rows.length + 1}: ignored a torn last line (27 characters, no newline): the writer stopped mid-row\n`);
    // The same figures as the intact rows give.
    const intact = join(dir, 'intact.ndjson');
    writeFileSync(intact, whole);
    expect((await runCli(['report', intact, '--out', join(dir, 'intact')])).error).toBeUndefined();
    const figures = (name: string) => JSON.parse(readFileSync(join(dir, name, 'report.json'), 'utf8')).figures;
    expect(figures('out')).toEqual(figures('intact'));
    writeFileSync(ledger, `{"kind":"request","atMs":17\n${whole}`);
    expect((await runCli(['report', ledger, '--out', join(dir, 'out2')])).error?.message).toBe(`${ledger}:1: not a JSON line`);
  });

  it('names the field of an event row without a label', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'event.ndjson');
    writeFileSync(ledger, `${JSON.stringify(baselineRows()[0])}\n{"kind":"event","atMs":1,"scenario":"s","variant":"v","source":"provider","name":"x"}\n`);
    const result = await runCli(['report', ledger, '--out', join(dir, 'out')]);
    expect([result.error?.code, result.error?.message]).toEqual(['CC_ERR_LEDGER_UNREADABLE', `${ledger}:2: "label" must be a string`]);
  });

  it('names the field of a request row that lacks a number', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'partial.ndjson');
    const { costUsd: _dropped, ...row } = baselineRows()[0] as RequestRow;
    writeFileSync(ledger, `${JSON.stringify(row)}\n`);
    const result = await runCli(['report', ledger, '--out', join(dir, 'out')]);
    expect(result.error?.message).toBe(`${ledger}:1: "costUsd" must be a number`);
  });

  it('charts only the tenants asked for, keeping provider events', async () => {
    // The fixture's four acme requests, plus a neighbour's expensive write in each bucket.
    const neighbour = (atS: number) => request('baseline', atS, { tenant: 'globex', session: 'g1', cacheWriteTokens: 100_000, costUsd: 0.375 });
    const run = writeRun([...baselineRows(), neighbour(10), neighbour(80)]);
    const out = join(run, 'only-acme');
    const result = await runCli(['report', run, '--bucket', '1m', '--tenant', 'acme', '--out', out]);
    expect(result.error).toBeUndefined();
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.title).toBe('cachecast report: fixture (tenant acme)');
    expect(report.figures.totals[0]).toMatchObject({ requests: 4, cacheWriteTokens: 10_000 });
    expect(report.figures.totals[0].costUsd).toBeCloseTo(0.048 + 0.0135 + 0.0105, 10);
    expect(report.figures.events).toHaveLength(1);
    expect((await runCli(['report', run, '--bucket', '1m', '--out', join(run, 'all')])).error).toBeUndefined();
    const all = JSON.parse(readFileSync(join(run, 'all', 'report.json'), 'utf8'));
    expect(all.figures.totals[0]).toMatchObject({ requests: 6, cacheWriteTokens: 210_000 });
  });

  it('names the tenants there are when --tenant matches none', async () => {
    const result = await runCli(['report', writeRun(baselineRows()), '--tenant', 'initech,umbrella']);
    expect(result.error?.code).toBe('CC_ERR_TENANT_UNKNOWN');
    expect(result.error?.message).toBe('no request from tenant "initech", "umbrella" in the ledgers; their tenants are: acme');
  });

  it('rejects a bucket that is not a duration', async () => {
    const result = await runCli(['report', writeRun(baselineRows()), '--bucket', 'often']);
    expect(result.error?.message).toContain('"often" is not a bucket width');
  });
});
