import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../../core/ledger/writer.ts';
import { eventRow } from '../../../core/ledger/row.ts';
import { toRequestRow } from '../../../core/ledger/to-row.ts';
import { emptyUsage } from '../../../core/model/types.ts';
import { tempDir } from '../../cli/helpers.ts';

const row = (session: string, i: number) =>
  toRequestRow(
    { scenario: 'w', variant: 'v', tenant: 'ténant-ü', session, class: 'interactive', attempt: 0 },
    { status: 200, model: 'm', node: 0, affinity: 'home', usage: { ...emptyUsage(), inputTokens: i }, costUsd: i / 7, ttftMs: 1, latencyMs: 2, retryAfterMs: 0, writeKey: 0 },
    1_767_571_200_000 + i,
  );

describe('ledger writer', () => {
  it.each([
    ['through a write stream (a server)', false],
    ['with blocking writes (cachecast run)', true],
  ])('writes every row as its JSON line %s, across chunk flushes, multi-byte text, an event row and a line longer than a chunk', async (_how, blocking) => {
    const path = join(tempDir(), 'ledger.ndjson');
    const ledger = openLedger(path, { blocking });
    const rows = [
      ...Array.from({ length: 20_000 }, (_, i) => row(i % 3 === 0 ? `s-${i % 7}` : `séssion-${i % 7}-☕`, i)),
      eventRow({ scenario: 'w', variant: 'v' }, 1_767_571_220_000, 'phase', 'cut-over', 'between request rows'),
      ...Array.from({ length: 5_000 }, (_, i) => row(`s-${i}`, 30_000 + i)),
      row('x'.repeat(3 * 2 ** 20), 20_000),
      row('after the long one', 20_001),
    ];
    for (const r of rows) ledger.write(r);
    await ledger.close();
    expect(ledger.rows()).toBe(25_003);
    expect(readFileSync(path, 'utf8')).toBe(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  it('reports a failed blocking write at the next drain, naming the error', async () => {
    // /dev/full accepts the open and refuses every write with ENOSPC.
    const ledger = openLedger('/dev/full', { blocking: true });
    for (let i = 0; i < 2_000; i++) ledger.write(row('s', i));
    await expect(ledger.drain()).rejects.toThrow('ENOSPC');
    await expect(ledger.close()).rejects.toThrow('ENOSPC');
  });
});
