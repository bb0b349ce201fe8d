// `cachecast run --snapshot-at` writes the provider state; `cachecast serve --state` starts from
// it, with its clock at the snapshot's time; a snapshot of another format or scenario is refused
// with CC_ERR_SNAPSHOT_MISMATCH naming the difference.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serveCommand } from '../../bin/cli/commands/serve.ts';
import type { CliIo } from '../../bin/cli/io.ts';
import type { Snapshot } from '../../core/model/snapshot.ts';
import { runCli, tempDir } from './helpers.ts';
import { anthropicWire } from '../../k6/bundle/wire/anthropic.ts';
import { segment } from '../../scenarios/kit/prompt.ts';

const serve = async (args: string[], cwd: string) => {
  let out = '';
  const io: CliIo = { out: (t) => (out += t), err: () => undefined, cwd, isTty: false };
  const stop = new AbortController();
  const done = serveCommand(io, stop.signal).exitOverride().parseAsync(args, { from: 'user' });
  let failure: (Error & { code?: string }) | undefined;
  done.catch((error: Error) => (failure = error));
  while (!out.includes('listening on') && failure === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  const origin = /listening on (\S+)/.exec(out)?.[1] ?? '';
  return { origin, out, failure, stop: async () => (stop.abort(), done) };
};

describe('state snapshots on the command line', () => {
  const dir = tempDir();
  const state = join(dir, 'state.json');
  const stampedeAt1355 = Date.parse('2026-03-02T13:55:00Z');

  beforeAll(async () => {
    const run = await runCli(['run', 'stampede', '--snapshot-at', '13:55', '--snapshot', state, '--out', join(dir, 'run')], dir);
    expect(run.error).toBeUndefined();
  }, 60_000);

  it('run --snapshot-at stops there: the ledger ends before 13:55 and the state is of stampede/baseline at 13:55', () => {
    const snapshot = JSON.parse(readFileSync(state, 'utf8')) as Snapshot;
    expect(snapshot).toMatchObject({ kind: 'cachecast-state', format: 1, keys: 'k6-anthropic', atMs: stampedeAt1355, identity: { scenario: 'stampede', variant: 'baseline', seed: 'stampede' } });
    // One node, holding the 14k-token system prompt's entry (written during steady traffic).
    expect(snapshot.provider.nodes).toHaveLength(1);
    expect(snapshot.provider.nodes[0].entries.some((e) => e[1] >= 14_000)).toBe(true);
    const lines = readFileSync(join(dir, 'run', 'ledger.ndjson'), 'utf8').trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1]) as { atMs: number };
    expect(last.atMs).toBeLessThan(stampedeAt1355);
    // 10 requests a second from 12:00 until the lull at 13:54.
    expect(lines.filter((l) => l.includes('"kind":"request"'))).toHaveLength(114 * 60 * 10);
  });

  it('serve --state starts the provider there: its clock at 13:55, the scenario\'s config', async () => {
    const server = await serve(['--port', '0', '--state', state], dir);
    expect(server.failure).toBeUndefined();
    expect(server.out).toContain('scenario stampede/baseline, from the state at 2026-03-02T13:55:00.000Z');
    const summary = (await fetch(`${server.origin}/admin/summary`).then((r) => r.json())) as { startIso: string };
    // Provider time runs from 13:55 at scale 1 (the clock starts before the summary is asked for).
    expect(Date.parse(summary.startIso) - stampedeAt1355).toBeGreaterThanOrEqual(0);
    expect(Date.parse(summary.startIso) - stampedeAt1355).toBeLessThan(10_000);
    const config = (await fetch(`${server.origin}/admin/config`).then((r) => r.json())) as { quotas: Array<{ limit: number }> };
    expect(config.quotas[0].limit).toBe(40_000_000);
    // The k6 bundle's request for the 14k-token system prompt, written before the 13:54 lull: warm.
    const wire = anthropicWire.encode(
      { tenant: 'acme', model: 'claude-sonnet-4-5-20250929', segments: [segment('stampede:system-prompt:v7', 14_000, '5m'), segment('a question', 300)], outputTokens: 10 },
      'cc-acme',
    );
    const answer = (await fetch(`${server.origin}${wire.path}`, { method: 'POST', headers: wire.headers, body: wire.body }).then((r) => r.text()));
    expect(anthropicWire.decode(answer, wire.streaming)?.usage).toMatchObject({ cacheReadTokens: 14_000, cacheWriteTokens: 0, inputTokens: 300 });
    await server.stop();
  });

  it('refuses a snapshot of another scenario, and of an older format, naming the difference', async () => {
    const other = await serve(['--port', '0', '--state', state, '--scenario', 'tokenizer-upgrade'], dir);
    expect(other.failure?.code).toBe('CC_ERR_SNAPSHOT_MISMATCH');
    expect(other.failure?.message).toContain('identity.scenario: the snapshot is of scenario "stampede", not "tokenizer-upgrade"');
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ ...(JSON.parse(readFileSync(state, 'utf8')) as Snapshot), format: 0 }));
    const refused = await serve(['--port', '0', '--state', old], dir);
    expect(refused.failure?.code).toBe('CC_ERR_SNAPSHOT_MISMATCH');
    expect(refused.failure?.message).toContain('format: the snapshot is format 0, this cachecast reads format 1 only');
    const variant = await serve(['--port', '0', '--state', state, '--variant', 'jitter'], dir);
    expect(variant.failure?.message).toContain('identity.variant: the snapshot is of variant "baseline" of stampede, not "jitter"');
  });

  it('names a --snapshot-at that is not a time, or outside the run', async () => {
    const bad = await runCli(['run', 'stampede', '--snapshot-at', 'soon', '--out', join(dir, 'bad')], dir);
    expect(bad.error?.code).toBe('CC_ERR_USAGE');
    expect(bad.error?.message).toContain('--snapshot-at: "soon" is neither a clock time');
    const late = await runCli(['run', 'stampede', '--snapshot-at', '5h', '--out', join(dir, 'late')], dir);
    expect(late.error?.code).toBe('CC_ERR_USAGE');
    expect(late.error?.message).toContain('--snapshot-at 5h: 2026-03-02T17:00:00.000Z is not inside the run');
  });
});
