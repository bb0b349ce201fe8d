import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../cli/helpers.ts';
import type { RequestRow } from '../../simulator/ledger/row.ts';
import { baselineRows, writeRun } from './fixture.ts';

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

  it('names the field of a request row that lacks a number', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'partial.ndjson');
    const { costUsd: _dropped, ...row } = baselineRows()[0] as RequestRow;
    writeFileSync(ledger, `${JSON.stringify(row)}\n`);
    const result = await runCli(['report', ledger, '--out', join(dir, 'out')]);
    expect(result.error?.message).toBe(`${ledger}:1: "costUsd" must be a number`);
  });

  it('rejects a bucket that is not a duration', async () => {
    const result = await runCli(['report', writeRun(baselineRows()), '--bucket', 'often']);
    expect(result.error?.message).toContain('"often" is not a bucket width');
  });
});
