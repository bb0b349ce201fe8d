import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS } from '../../reports/aggregate/bucket-size.ts';
import { writeReport } from '../../reports/write-report.ts';
import { request, writeRun } from './fixture.ts';

const WEEK_MS = 7 * 86_400_000;

describe('report bounds', () => {
  it('refuses a --bucket that would draw more than MAX_BUCKETS buckets, before reading the ledger in full', async () => {
    const run = writeRun([request('baseline', 0, { inputTokens: 10, costUsd: 0.001 }), request('baseline', WEEK_MS / 1000, { inputTokens: 10, costUsd: 0.001 })]);
    await expect(writeReport({ inputs: [run], outDir: join(run, 'report'), bucketMs: 1_000 })).rejects.toMatchObject({
      code: 'CC_ERR_USAGE',
      message: `--bucket: 1-second buckets make 604,800 over this run; a report draws at most ${MAX_BUCKETS.toLocaleString('en-US')}. Use a bucket of at least 242s, or leave --bucket out to pick one from the span.`,
    });
  });

  it('reports a week of traffic with a default bucket (6-hour) and with the finest --bucket allowed', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => request('baseline', (i * WEEK_MS) / 2_000 / 1000, { session: `s${i % 40}`, inputTokens: 100, cacheReadTokens: 900, costUsd: 0.001 }));
    const run = writeRun(rows);
    const auto = await writeReport({ inputs: [run], outDir: join(run, 'auto') });
    expect(auto.pngPaths.length).toBe(6);
    const fine = await writeReport({ inputs: [run], outDir: join(run, 'fine'), bucketMs: 300_000 });
    expect(fine.pngPaths.length).toBe(6);
  }, 60_000);
});
