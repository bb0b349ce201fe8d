import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerRows, MAX_LEDGER_LINE_BYTES } from '../../../core/ledger/read.ts';

const row = (atMs: number) => JSON.stringify({ kind: 'event', atMs, scenario: 's', variant: 'v', source: 'provider', name: 'x', label: 'y' });

const collect = async (path: string, maxLineBytes?: number) => {
  const rows = [];
  for await (const r of ledgerRows(path, { maxLineBytes })) rows.push(r);
  return rows;
};

// Issue 16, item 11: a 2 GB line was read until V8 could not hold it as a string, then an uncaught RangeError.
describe('ledgerRows and a line too long to be a ledger row', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-read-'));

  it('fails naming file and line as soon as a line passes the bound, not after reading it', async () => {
    const path = join(dir, 'long.ndjson');
    // 3 MB with no newline after two good rows: 3× the default bound.
    writeFileSync(path, `${row(1)}\n${row(2)}\n${'x'.repeat(3 * MAX_LEDGER_LINE_BYTES)}\n${row(3)}\n`);
    await expect(collect(path)).rejects.toMatchObject({
      code: 'CC_ERR_LEDGER_UNREADABLE',
      message: `${path}:3: a line of more than 1,048,576 bytes (a ledger row is under 1 kB; this is not a ledger)`,
    });
  });

  it('counts lines across chunk boundaries, and accepts lines up to the bound', async () => {
    const path = join(dir, 'chunks.ndjson');
    // 200 rows (~100 bytes each) span several 64 kB read chunks; then one line of 5 kB against a 4 kB bound.
    const rows = Array.from({ length: 2_000 }, (_, i) => row(i));
    writeFileSync(path, `${rows.join('\n')}\n${'y'.repeat(5_000)}\n`);
    await expect(collect(path, 4_096)).rejects.toMatchObject({ message: `${path}:2001: a line of more than 4,096 bytes (a ledger row is under 1 kB; this is not a ledger)` });
    writeFileSync(path, `${rows.join('\n')}\n`);
    expect((await collect(path, 4_096)).length).toBe(2_000);
  });
});
