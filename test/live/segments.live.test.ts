// k6's execution segments on real k6: `cachecast live --k6-instances 2` runs the bundle as two k6
// processes (segments 0:1/2 and 1/2:1 of one sequence, as k6-operator does), and together they send
// exactly the requests one k6 sends: the same sessions (one per iteration number), the same prompt
// lengths and answer lengths (drawn from each iteration's stream), each once.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
import { runCli } from '../cli/helpers.ts';
import { SEGMENTS } from './fixtures/segments.ts';
import { k6Binaries, ROOT } from './k6-binaries.ts';

const FIXTURE = join(ROOT, 'test/live/fixtures/segments.ts');

const run = async (k6: string, instances: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-segments-'));
  const result = await runCli(['live', FIXTURE, '--time-scale', '1', '--k6', k6, '--k6-instances', String(instances), '--out', dir]);
  const rows = readFileSync(join(dir, 'ledger.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LedgerRow);
  const requests = rows.filter((r): r is RequestRow => r.kind === 'request');
  // What a request is, whatever the cache did with it: its iteration (session), prompt and answer lengths.
  const identities = requests.map((r) => `${r.session} ${r.inputTokens + r.cacheReadTokens + r.cacheWriteTokens} ${r.outputTokens}`).sort();
  const perInstance = Array.from({ length: instances }, (_, i) => join(dir, i === 0 ? 'k6-summary.json' : `k6-summary-${i + 1}.json`)).map(
    (p) => (existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { cachecast: { responses: number; droppedIterations: number } }).cachecast : undefined),
  );
  return { error: result.error, identities, perInstance };
};

describe.each(k6Binaries())('k6 $version: two execution segments', (k6) => {
  it('send together exactly the requests one instance sends, each once', async () => {
    const one = await run(k6.path, 1);
    const two = await run(k6.path, 2);
    expect(one.error).toBeUndefined();
    expect(two.error).toBeUndefined();
    expect(one.identities).toHaveLength(SEGMENTS.steady + SEGMENTS.burst);
    expect(new Set(one.identities.map((id) => id.split(' ')[0])).size).toBe(SEGMENTS.steady + SEGMENTS.burst);
    expect(two.identities).toEqual(one.identities);
    // Both instances sent a share, none dropped.
    expect(two.perInstance.map((f) => (f?.responses ?? 0) > 0)).toEqual([true, true]);
    expect(two.perInstance.reduce((sum, f) => sum + (f?.responses ?? 0), 0)).toBe(SEGMENTS.steady + SEGMENTS.burst);
    expect(two.perInstance.every((f) => f?.droppedIterations === 0)).toBe(true);
    process.stdout.write(`k6 ${k6.version}: one instance ${one.identities.length} requests; two instances ${two.perInstance.map((f) => f?.responses).join(' + ')}, identical\n`);
  });
});
