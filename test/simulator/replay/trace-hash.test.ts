import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeConfig, type ProviderConfig } from '../../../core/model/config.ts';
import { PROFILES } from '../../../core/model/profiles/index.ts';
import { replayTrace } from '../../../simulator/replay/replay.ts';
import { hashRequestLog } from '../../../simulator/replay/trace-hash.ts';
import { tempDir } from '../../cli/helpers.ts';
import { conversationLog } from './helpers.ts';

describe('cachecast trace hash', () => {
  it.each([
    ['anthropic', PROFILES.anthropic],
    // Several nodes would place prefixes by the hash of their (now hashed) content: exact on one.
    ['openai', mergeConfig<ProviderConfig>(PROFILES.openai, { nodes: { count: 1 } })],
  ] as const)('keeps the %s log\'s totals exactly (openai on one node), and no text', async (wire, config) => {
    const dir = tempDir();
    const log = join(dir, 'log.ndjson');
    writeFileSync(log, conversationLog(wire, `hash-${wire}`));
    const hashed = join(dir, 'trace.ndjson');
    expect(await hashRequestLog(log, hashed)).toBe(120);

    const text = readFileSync(hashed, 'utf8');
    expect(text).not.toContain('policy');
    expect(text).not.toContain('tenant-');
    expect(text).not.toContain('chat-');

    const fromLog = await replayTrace({ file: log, config });
    const firstTs = JSON.parse(readFileSync(log, 'utf8').split('\n')[0]).ts as number;
    const fromTrace = await replayTrace({ file: hashed, config, startMs: firstTs });
    expect(fromLog.totals.cacheReadTokens).toBeGreaterThan(0);
    expect(fromTrace.totals).toEqual(fromLog.totals);
  });

  it('salts the hashes: the same log hashed twice shares no id', async () => {
    const dir = tempDir();
    const log = join(dir, 'log.ndjson');
    writeFileSync(log, conversationLog('anthropic', 'salted'));
    await hashRequestLog(log, join(dir, 'a.ndjson'));
    await hashRequestLog(log, join(dir, 'b.ndjson'));
    const ids = (file: string): Set<number> => new Set(readFileSync(join(dir, file), 'utf8').trim().split('\n').flatMap((l) => JSON.parse(l).hash_ids as number[]));
    const a = ids('a.ndjson');
    expect(a.size).toBeGreaterThan(120);
    expect([...ids('b.ndjson')].filter((id) => a.has(id))).toEqual([]);
  });
});
