import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeConfig, type ProviderConfig } from '../../../core/model/config.ts';
import { PROFILES } from '../../../core/model/profiles/index.ts';
import { stream } from '../../../core/random/streams.ts';
import { replayTrace } from '../../../simulator/replay/replay.ts';
import { hashRequestLog } from '../../../simulator/replay/trace-hash.ts';
import { tempDir } from '../../cli/helpers.ts';

const START_MS = Date.parse('2026-03-02T09:00:00Z');

/** A seeded log of conversations: per tenant a long system prompt, sessions that grow turn by turn. */
const conversationLog = (wire: 'anthropic' | 'openai', seed: string): string => {
  const rng = stream(seed, 'log');
  const systemOf = (tenant: string): string => `${tenant}: ${'policy text '.repeat(900)}`;
  const lines: string[] = [];
  let ts = START_MS;
  const histories = new Map<string, string[]>();
  for (let i = 0; i < 120; i++) {
    ts += Math.floor(rng() * 20_000);
    const tenant = `tenant-${Math.floor(rng() * 3)}`;
    const session = `${tenant}/chat-${Math.floor(rng() * 6)}`;
    const history = histories.get(session) ?? [];
    history.push(`turn ${history.length} of ${session}: ${'words '.repeat(50 + Math.floor(rng() * 400))}`);
    histories.set(session, history);
    const messages = history.map((text, k) => ({ role: k % 2 === 0 ? 'user' : 'assistant', content: text }));
    if (messages.length % 2 === 0) messages.push({ role: 'user', content: 'and?' });
    const body =
      wire === 'anthropic'
        ? { model: 'claude-sonnet-4-5', max_tokens: 400, system: [{ type: 'text', text: systemOf(tenant), cache_control: { type: 'ephemeral' } }], messages, cache_control: { type: 'ephemeral' } }
        : { model: 'gpt-4o', messages: [{ role: 'system', content: systemOf(tenant) }, ...messages], prompt_cache_key: session, max_tokens: 300 };
    lines.push(JSON.stringify({ ts, tenant, session, class: i % 7 === 0 ? 'batch' : 'interactive', body, output_tokens: 20 + Math.floor(rng() * 300) }));
  }
  return `${lines.join('\n')}\n`;
};

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
