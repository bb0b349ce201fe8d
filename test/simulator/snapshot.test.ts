// A state snapshot is complete when a run continued from it is the run that never stopped:
// simulate start → end; simulate start → T, snapshot, JSON round-trip, restore, T → end; the rows
// at or after T must be byte-identical. Built-in scenarios cover caches with LRU eviction, a
// tokenizer upgrade, token buckets with retried 429s; a small scenario covers VU loops with think
// time, per-vu-iterations, server-error retries in flight at T, a quota change and a node drain.

import { describe, expect, it } from 'vitest';
import { toNdjsonLine } from '../../core/ledger/ndjson.ts';
import type { LedgerRow } from '../../core/ledger/row.ts';
import { SNAPSHOT_FORMAT, SnapshotError, type Snapshot } from '../../core/model/snapshot.ts';
import { defineScenario, type Scenario } from '../../scenarios/kit/format.ts';
import { segment } from '../../scenarios/kit/prompt.ts';
import { runScenario } from '../../simulator/run.ts';
import batchInteractive from '../../scenarios/batch-interactive-collision.ts';
import evictionPressure from '../../scenarios/eviction-pressure.ts';
import stampede from '../../scenarios/stampede.ts';

const lines = async (scenario: Scenario, variant: string, extra: Partial<Parameters<typeof runScenario>[0]> = {}): Promise<string[]> => {
  const rows: string[] = [];
  await runScenario({ scenario, variant, sink: (row: LedgerRow) => rows.push(toNdjsonLine(row)), ...extra });
  return rows;
};

const atOf = (line: string): number => (JSON.parse(line) as { atMs: number }).atMs;

/**
 * The uninterrupted run's rows from T on, and the resumed run's rows, plus the snapshot (through
 * JSON). With `untilOffsetMs`, both runs stop there (a long scenario need not run to its end).
 */
const continued = async (scenario: Scenario, variant: string, offsetMs: number, untilOffsetMs?: number) => {
  const until = untilOffsetMs === undefined ? {} : { snapshotAtMs: scenario.startMs + untilOffsetMs };
  const full = await lines(scenario, variant, until);
  const atMs = scenario.startMs + offsetMs;
  let snapshot: Snapshot | undefined;
  const before = await lines(scenario, variant, { snapshotAtMs: atMs, onSnapshot: (s) => (snapshot = s) });
  const file = JSON.stringify(snapshot);
  const after = await lines(scenario, variant, { resume: JSON.parse(file) as Snapshot, ...until });
  return { full, before, after, expected: full.filter((l) => atOf(l) >= atMs), snapshot: JSON.parse(file) as Snapshot, bytes: file.length };
};

const small = defineScenario({
  name: 'snapshot-small',
  description: 'VUs, think time, server-error retries, a quota change and a node drain',
  startAt: '2026-01-05T00:00:00Z',
  variants: { baseline: 'the only one' },
  setup: () => ({
    provider: {
      profile: 'anthropic',
      overrides: {
        nodes: { count: 3, concurrency: 2 },
        faults: { errorRate: 0.2 },
        quotas: [{ name: 'rpm', dimension: 'requests', kind: 'rolling-window', limit: 400, windowMs: 60_000 }],
      },
    },
    traffic: {
      chat: {
        executor: 'constant-vus',
        vus: 7,
        duration: '10m',
        thinkTime: (rng) => 500 + rng() * 4_000,
        client: { retryOnServerError: true, retryOn429: true, maxRetries: 3 },
        build: (i, _t, rng) => ({
          tenant: `t${i % 3}`,
          model: 'claude-sonnet-4-5-20250929',
          segments: [segment('system', 3_000, '5m'), segment(`user:${Math.floor(rng() * 50)}`, 200)],
          outputTokens: 150,
        }),
      },
      jobs: {
        executor: 'per-vu-iterations',
        vus: 4,
        iterations: 30,
        startTime: '2m',
        client: { retryOnServerError: true },
        build: (i) => ({ tenant: 'batch', model: 'claude-sonnet-4-5-20250929', segments: [segment('batch-system', 5_000, '1h'), segment(`job:${i}`, 500)], outputTokens: 400 }),
      },
    },
    events: [
      { at: '4m', event: { kind: 'quota-change', quota: 'rpm', changes: { limit: 30, kind: 'token-bucket' } } },
      { at: '6m', event: { kind: 'node-drain', node: 1 } },
    ],
  }),
});

describe('a run continued from a snapshot is the run that never stopped', () => {
  it('small scenario: VU loops, think time, retries in flight at T, quota change and drain after T', async () => {
    for (const offsetMs of [150_000, 300_000, 390_123]) {
      const { before, after, expected, full, snapshot } = await continued(small, 'baseline', offsetMs);
      expect(after.length).toBeGreaterThan(100);
      expect(after).toEqual(expected);
      expect(before.length + after.length).toBe(full.length);
      expect((snapshot.clients as { events: Array<{ tag: { kind: string } }> }).events.some((e) => e.tag.kind === 'vu')).toBe(true);
    }
  });

  it('small scenario: retries pending at T (an attempt > 0 after T continues an iteration from before T)', async () => {
    // T just before the first retry after 5 minutes: its first attempt was before T.
    const retry = (await lines(small, 'baseline')).find((l) => atOf(l) > small.startMs + 300_000 && /"attempt":[1-9]/.test(l));
    expect(retry).toBeDefined();
    const { after, expected, snapshot } = await continued(small, 'baseline', atOf(retry!) - small.startMs - 1);
    const pending = (snapshot.clients as { events: Array<{ tag: { kind: string } }> }).events.filter((e) => e.tag.kind === 'retry');
    expect(pending.length).toBeGreaterThan(0);
    expect(after).toEqual(expected);
  });

  it('stampede: the herd after T writes exactly as in the full run (1,000 workers, LRU order, router counters)', async () => {
    const { after, expected, bytes } = await continued(stampede, 'baseline', (1 * 60 + 59) * 60_000 + 55_000, 2 * 3_600_000 + 5 * 60_000);
    expect(after).toEqual(expected);
    expect(after.filter((l) => l.includes('"class":"batch"'))).toHaveLength(1_000);
    expect(bytes).toBeLessThan(100_000);
  });

  it('eviction-pressure (full caches, evictions) and batch-interactive-collision with retried 429s', async () => {
    const a = await continued(evictionPressure, 'busy-neighbours', 17 * 60_000 + 333);
    expect(a.after).toEqual(a.expected);
    const b = await continued(batchInteractive, 'retry-no-jitter', 9 * 60_000 + 30_000);
    expect(b.after).toEqual(b.expected);
    expect(b.after.some((l) => l.includes('"status":429'))).toBe(true);
  });
});

describe('a snapshot is checked before it is used', () => {
  const take = async (): Promise<Snapshot> => {
    let snapshot: Snapshot | undefined;
    await runScenario({ scenario: small, variant: 'baseline', snapshotAtMs: small.startMs + 60_000, onSnapshot: (s) => (snapshot = s) });
    return JSON.parse(JSON.stringify(snapshot)) as Snapshot;
  };

  it('refuses an older format version, naming both versions', async () => {
    const old = { ...(await take()), format: SNAPSHOT_FORMAT - 1 };
    await expect(runScenario({ scenario: small, variant: 'baseline', resume: old })).rejects.toThrow(
      `format: the snapshot is format ${SNAPSHOT_FORMAT - 1}, this cachecast reads format ${SNAPSHOT_FORMAT} only; write it again`,
    );
  });

  it('refuses another scenario, naming both', async () => {
    const snapshot = await take();
    await expect(runScenario({ scenario: stampede, variant: 'baseline', resume: snapshot })).rejects.toThrow(
      new SnapshotError('identity.scenario: the snapshot is of scenario "snapshot-small", not "stampede"'),
    );
  });

  it('refuses another seed, and a provider config changed since the snapshot', async () => {
    const snapshot = await take();
    await expect(runScenario({ scenario: small, variant: 'baseline', seed: 'other', resume: snapshot })).rejects.toThrow(
      'identity.seed: the snapshot was taken with seed "snapshot-small", not "other"',
    );
    const edited = { ...snapshot, identity: { ...snapshot.identity, configHash: '00000000000001' } };
    await expect(runScenario({ scenario: small, variant: 'baseline', resume: edited })).rejects.toThrow(
      /^identity.configHash: the provider config of snapshot-small\/baseline has changed since the snapshot \(00000000000001, now [0-9a-f]{14}\)/,
    );
  });

  it('refuses a file that is not a snapshot, and a malformed provider config by field', async () => {
    await expect(runScenario({ scenario: small, variant: 'baseline', resume: { hello: 1 } as unknown as Snapshot })).rejects.toThrow(
      'kind: expected "cachecast-state", got undefined: not a cachecast state snapshot',
    );
    const snapshot = await take();
    (snapshot.provider.config as { nodes: { concurrency: unknown } }).nodes.concurrency = 'two';
    await expect(runScenario({ scenario: small, variant: 'baseline', resume: snapshot })).rejects.toThrow(/^provider\.config\.nodes\.concurrency: /);
  });
});
