import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, ROOT, tempDir } from './helpers.ts';

const dir = tempDir();
const trace = join(dir, 'head.jsonl');
writeFileSync(trace, readFileSync(join(ROOT, '../shared/traces/mooncake/conversation_trace.jsonl'), 'utf8').split('\n').slice(0, 800).join('\n'));

describe('cachecast sweep', () => {
  it('writes sweep.json, sweep.csv, charts and sweep.html, and prints the points by cost with the baseline ratio', async () => {
    const out = join(dir, 'whole');
    const result = await runCli(['sweep', trace, '--profile', 'lru-blocks', '--set', 'nodes.capacityTokens=256000,2560000', '--jobs', '1', '--out', out]);
    expect(result.error).toBeUndefined();
    for (const file of ['sweep.json', 'sweep.csv', 'sweep.html', 'sweep-nodes-capacityTokens.svg', 'sweep-nodes-capacityTokens.png', 'sweep-nodes-capacityTokens.vl.json']) {
      expect(existsSync(join(out, file))).toBe(true);
    }
    const lines = result.out.trim().split('\n');
    expect(lines[1].split(/\s{2,}/)).toEqual(['nodes.capacityTokens', 'cost/request', 'hit rate', '429s', 'TTFT p95', 'x baseline']);
    // The larger cache is cheaper: first, with a ratio below 1; the baseline last.
    expect(lines[2]).toMatch(/^2560000 .* 0\.\d{3}$/);
    expect(lines[3]).toMatch(/^256000 .* 1\.000 \(baseline\)$/);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8').split('\n')[0]).toMatch(/^point,seed,nodes\.capacityTokens,requests,ok,/);

    const shards = await Promise.all(['1/2', '2/2'].map((s, i) => runCli(['sweep', trace, '--profile', 'lru-blocks', '--set', 'nodes.capacityTokens=256000,2560000', '--jobs', '1', '--shard', s, '--out', join(dir, `shard${i}`)])));
    expect(shards.map((s) => s.error)).toEqual([undefined, undefined]);
    const merged = await runCli(['sweep', 'merge', join(dir, 'shard0'), join(dir, 'shard1/sweep.json'), '--out', join(dir, 'merged')]);
    expect(merged.error).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'merged/sweep.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')));
  });

  it('refuses a path the config does not have, naming its neighbours, before any run', async () => {
    const result = await runCli(['sweep', trace, '--set', 'nodes.capacity=1,2']);
    expect(result.error?.code).toBe('CC_ERR_USAGE');
    expect(result.error?.message).toBe('--set nodes.capacity: no such config path; valid here: nodes.count, nodes.capacityTokens, nodes.concurrency');
    const value = await runCli(['sweep', trace, '--set', 'nodes.count=2,-1']);
    expect(value.error?.message).toMatch(/^--set: nodes\.count: too small/);
  });
});
