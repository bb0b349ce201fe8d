import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeLedgers } from '../../../core/ledger/merge.ts';
import { toNdjsonLine } from '../../../core/ledger/ndjson.ts';
import { eventRow, type LedgerRow, type RequestRow } from '../../../core/ledger/row.ts';
import { createWallClock } from '../../../mock-provider/clock.ts';
import { runCli, tempDir } from '../../cli/helpers.ts';

const request = (atMs: number, tenant: string): RequestRow => ({
  kind: 'request', atMs, scenario: 's', variant: 'v', tenant, session: `${tenant}-1`, class: 'interactive', model: 'm', node: 0, affinity: 'home',
  status: 200, inputTokens: 10, cacheReadTokens: 1_000, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 5, costUsd: 0.001, ttftMs: 100, latencyMs: 200, retryAfterMs: 0, attempt: 0,
});

const write = (dir: string, name: string, rows: LedgerRow[], tail = ''): string => {
  const path = join(dir, name);
  writeFileSync(path, rows.map(toNdjsonLine).join('') + tail);
  return path;
};

const collect = async (paths: string[], onTorn?: (m: string) => void): Promise<LedgerRow[]> => {
  const rows: LedgerRow[] = [];
  for await (const row of mergeLedgers(paths, { onTornLastLine: onTorn })) rows.push(row);
  return rows;
};

describe('ledger merge', () => {
  it('interleaves the replicas\' rows by time, keeping each ledger\'s own order and input order on ties', async () => {
    const dir = tempDir();
    const a = write(dir, 'a.ndjson', [request(1_000, 'acme'), request(3_000, 'acme'), request(3_000, 'acme'), request(7_000, 'acme')]);
    const b = write(dir, 'b.ndjson', [eventRow({ scenario: 's', variant: 'v' }, 0, 'provider', 'faults', 'incident'), request(2_000, 'globex'), request(3_000, 'globex'), request(9_000, 'globex')]);
    const merged = await collect([a, b]);
    expect(merged.map((r) => `${r.atMs}:${r.kind === 'request' ? r.tenant : 'event'}`)).toEqual([
      '0:event', '1000:acme', '2000:globex', '3000:acme', '3000:acme', '3000:globex', '7000:acme', '9000:globex',
    ]);
  });

  it('skips a torn last line, saying so, and writes byte-identical rows through the CLI', async () => {
    const dir = tempDir();
    const a = write(dir, 'a.ndjson', [request(1_000, 'acme'), request(4_000, 'acme')], '{"kind":"request","atMs":5000,"scen');
    const b = write(dir, 'b.ndjson', [request(2_000, 'globex')]);
    const torn: string[] = [];
    expect((await collect([a, b], (m) => torn.push(m))).length).toBe(3);
    expect(torn).toEqual([`${a}:3: ignored a torn last line (35 characters, no newline): the writer stopped mid-row`]);

    const out = join(dir, 'all.ndjson');
    const { error, err } = await runCli(['ledger', 'merge', a, b, '--out', out]);
    expect(error).toBeUndefined();
    expect(err).toContain('merged 3 rows from 2 ledgers');
    expect(readFileSync(out, 'utf8')).toBe([request(1_000, 'acme'), request(2_000, 'globex'), request(4_000, 'acme')].map(toNdjsonLine).join(''));
    const printed = await runCli(['ledger', 'merge', a, b]);
    expect(printed.out).toBe(readFileSync(out, 'utf8'));
  });

  it('names a missing input and refuses a single ledger', async () => {
    const dir = tempDir();
    const a = write(dir, 'a.ndjson', [request(1_000, 'acme')]);
    expect((await runCli(['ledger', 'merge', a, join(dir, 'nope.ndjson')])).error?.message).toContain('nope.ndjson: no such file or directory');
    expect((await runCli(['ledger', 'merge', a])).error?.message).toContain('two or more ledgers');
  });
});

describe('serve --epoch: one provider clock origin for replicas', () => {
  it('maps the epoch to the provider start on the wall, whenever each replica started', () => {
    const epochMs = Date.now() - 5_000;
    const startAtMs = Date.UTC(2026, 2, 2, 12);
    const first = createWallClock({ timeScale: 60, startAtMs, epochMs });
    const second = createWallClock({ timeScale: 60, startAtMs, epochMs });
    // Both say provider time `startAtMs` was the wall instant `epochMs`, and 1 provider minute is 1 wall second.
    expect(first.toWallEpochMs(startAtMs)).toBeCloseTo(epochMs, 6);
    expect(second.toWallEpochMs(startAtMs)).toBeCloseTo(epochMs, 6);
    expect(second.toWallEpochMs(startAtMs + 60_000) - first.toWallEpochMs(startAtMs)).toBeCloseTo(1_000, 6);
    // 5 wall seconds after the epoch is at least 5 provider minutes after the start.
    expect(first.nowMs()).toBeGreaterThanOrEqual(startAtMs + 300_000);
  });

  it('maps the epoch from the moment a paused replica starts, not from when its clock was made', async () => {
    const epochMs = Date.now() - 5_000;
    const startAtMs = Date.UTC(2026, 2, 2, 12);
    const clock = createWallClock({ timeScale: 60, startAtMs, epochMs, paused: true });
    // The wall clock moves on before the start (the clock was computed from its making: 20+ ms off).
    await new Promise((resolve) => setTimeout(resolve, 25));
    clock.start();
    expect(clock.toWallEpochMs(startAtMs)).toBeCloseTo(epochMs, 6);
    // Provider time now is what the epoch says it is: at least (wall now − epoch) × 60 after the start.
    const wallNowMs = Date.now();
    expect(clock.nowMs()).toBeGreaterThanOrEqual(startAtMs + (wallNowMs - epochMs) * 60 - 60);
  });
});
