import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDir, ROOT } from './helpers.ts';

const SYNTHETIC = join(ROOT, '../shared/traces/mooncake/synthetic_trace.jsonl');
const AZURE_CODE = join(ROOT, '../shared/traces/azure-llm-inference-2023/AzureLLMInferenceTrace_code.csv');

const body = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] };

describe('cachecast replay', () => {
  it('replays a Mooncake trace on lru-blocks with a capacity set by path, writing ledger and summary', async () => {
    const out = tempDir();
    const result = await runCli(['replay', SYNTHETIC, '--profile', 'lru-blocks', '--set', 'nodes.capacityTokens=5120000', '--out', out, '--json']);
    expect(result.error).toBeUndefined();
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.totals.requests).toBe(3_993);
    expect(summary.variant).toBe('lru-blocks');
    expect(readFileSync(join(out, 'ledger.ndjson'), 'utf8').trim().split('\n')).toHaveLength(3_993);
    expect(JSON.parse(result.out).totals).toEqual(summary.totals);
  });

  it('replays an Azure CSV: every token uncached, the recorded output lengths', async () => {
    const out = tempDir();
    const result = await runCli(['replay', AZURE_CODE, '--profile', 'openai', '--out', out, '--json']);
    expect(result.error).toBeUndefined();
    const rows = readFileSync(AZURE_CODE, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const { totals } = JSON.parse(result.out);
    expect(totals.requests).toBe(8_819);
    expect(totals.cacheReadTokens).toBe(0);
    expect(totals.inputTokens + totals.cacheWriteTokens).toBe(rows.reduce((sum, r) => sum + r[1], 0));
    expect(totals.outputTokens).toBe(rows.reduce((sum, r) => sum + r[2], 0));
  });

  it('stops at a bad line by default and names file, line and field, without a stack trace', () => {
    const dir = tempDir();
    const log = join(dir, 'log.ndjson');
    writeFileSync(log, [{ ts: 0, body }, { ts: 1, body: { ...body, max_tokens: 'lots' } }, { ts: 2, body }].map((l) => JSON.stringify(l)).join('\n'));
    const stopped = spawnCli(['replay', log, '--out', join(dir, 'stop')]);
    expect(stopped.status).toBe(2);
    expect(stopped.stderr).toContain(`CC_ERR_TRACE_LINE_INVALID: ${log}:2: body.max_tokens: expected number, received string`);
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
    const skipped = spawnCli(['replay', log, '--on-error', 'skip', '--out', join(dir, 'skip'), '--json']);
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toContain(`skipped: ${log}:2: body.max_tokens`);
    expect(JSON.parse(skipped.stdout).totals.requests).toBe(2);
  });

  it('refuses an unknown format, a wrong --set path with its neighbours, and a bad --on-error', async () => {
    const unknown = await runCli(['replay', join(ROOT, 'package.json')]);
    expect(unknown.error?.code).toBe('CC_ERR_TRACE_UNREADABLE');
    const path = await runCli(['replay', SYNTHETIC, '--set', 'caching.ttl=5']);
    expect(path.error?.message).toContain('--set caching.ttl: no such config path; valid here: caching.mode, caching.incrementTokens');
    const value = await runCli(['replay', SYNTHETIC, '--set', 'nodes.count=0']);
    expect(value.error?.message).toMatch(/^--set: nodes\.count: too small/);
    const mode = await runCli(['replay', SYNTHETIC, '--on-error', 'ignore']);
    expect(mode.error?.code).toBe('CC_ERR_USAGE');
  });

  it('trace hash writes a trace the replay reads, with the log\'s request count', async () => {
    const dir = tempDir();
    const log = join(dir, 'log.ndjson');
    writeFileSync(log, [0, 1_000, 2_000].map((ts) => JSON.stringify({ ts, tenant: 'acme', body })).join('\n'));
    const hashed = await runCli(['trace', 'hash', log, '--out', join(dir, 'trace.ndjson')], dir);
    expect(hashed.error).toBeUndefined();
    expect(hashed.out).toBe('trace.ndjson: 3 requests, no text\n');
    expect(readFileSync(join(dir, 'trace.ndjson'), 'utf8')).not.toContain('acme');
    const replayed = await runCli(['replay', 'trace.ndjson', '--out', 'r', '--json'], dir);
    expect(JSON.parse(replayed.out).totals.requests).toBe(3);
  });
});
