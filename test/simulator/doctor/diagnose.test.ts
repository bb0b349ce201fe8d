import { describe, expect, it } from 'vitest';
import { anthropicModels } from '../../../core/model/profiles/anthropic.ts';
import { openaiModels } from '../../../core/model/profiles/openai.ts';
import { MAX_EXCERPT_CHARS, type DoctorReport, type Finding } from '../../../core/ledger/doctor-report.ts';
import { diagnose } from '../../../simulator/doctor/diagnose.ts';
import { generateLog, type Cause, type LogLine } from './log-kit.ts';
import { recordsOf } from './helpers.ts';

const SONNET = anthropicModels['claude-sonnet-4-5-20250929'].prices;
const GPT41 = openaiModels['gpt-4.1-2025-04-14'].prices;
/** What a lost token costs: written at 1.25× instead of read at 0.1× (Sonnet 4.5: $3.75 − $0.30 per MTok). */
const SONNET_WRITE_NOT_READ = (SONNET.cacheWrite5m - SONNET.cacheRead) / 1e6;
/** gpt-4.1: input $2 instead of cached $0.50 per MTok. */
const GPT41_INPUT_NOT_READ = (GPT41.input - GPT41.cacheRead) / 1e6;

const run = (lines: LogLine[], profile: 'anthropic' | 'openai' = 'anthropic', redact = false): Promise<DoctorReport> =>
  diagnose(recordsOf(lines), { profile, redact, log: 'test.ndjson' });
const runCause = (cause: Cause, profile: 'anthropic' | 'openai' = 'anthropic') => run(generateLog(cause), profile);
const top = (report: DoctorReport): Finding => {
  expect(report.findings.length).toBeGreaterThan(0);
  return report.findings[0];
};

describe('doctor on a clean log', () => {
  it('finds nothing when requests vary only after the last breakpoint (Anthropic conversations)', async () => {
    const report = await runCause('clean');
    expect(report.requests).toBe(160);
    expect(report.findings).toEqual([]);
    expect(report.series).toEqual([]);
  });

  it('finds nothing when only the user turn after a long shared system prompt varies (OpenAI)', async () => {
    const report = await runCause('clean-openai', 'openai');
    expect(report.requests).toBe(150);
    expect(report.findings).toEqual([]);
  });
});

describe('volatile content in the prefix', () => {
  it('finds a timestamp in the system prompt, with the first divergent position and both excerpts', async () => {
    const report = await runCause('volatile-timestamp');
    const f = top(report);
    expect(f.kind).toBe('volatile-prefix');
    // Every request but the first differs from the one before it in the timestamp.
    expect(f.requests).toBe(119);
    expect(f.divergence?.path).toBe('system[0]');
    expect(f.divergence?.charOffset).toBe('You are the Acme support assistant. Current time: 2026-03-02T12:00:'.length);
    expect(f.divergence?.before).toContain('Current time: 2026-03-02T12:00:00.000Z');
    expect(f.divergence?.after).toContain('Current time: 2026-03-02T12:00:20.000Z');
    // ~6,000 tokens of instructions after the timestamp, lost on each request, written at 1.25× instead of read.
    expect(f.lostTokens / f.requests).toBeGreaterThan(6_000);
    expect(f.costUsd).toBeCloseTo(f.lostTokens * SONNET_WRITE_NOT_READ, 9);
    expect(f.scenario).toBe('personalization-prefix');
    expect(f.fix).toMatch(/system\[0\]/);
  });

  it('finds a personalisation block above the shared instructions (OpenAI), priced at input minus cached input', async () => {
    const report = await runCause('personalisation', 'openai');
    const f = top(report);
    expect(f.kind).toBe('volatile-prefix');
    expect(f.requests).toBe(149);
    expect(f.divergence?.path).toBe('messages[0].content');
    expect(f.divergence?.before.startsWith('User profile: ')).toBe(true);
    expect(f.divergence?.after.startsWith('User profile: ')).toBe(true);
    expect(f.divergence?.before).not.toEqual(f.divergence?.after);
    // The 6,000-token system prompt behind it, read in 128-token steps above 1,024: 5,888 tokens a request.
    expect(f.lostTokens).toBe(149 * 5_888);
    expect(f.costUsd).toBeCloseTo(149 * 5_888 * GPT41_INPUT_NOT_READ, 9);
  });
});

describe('unstable serialisation', () => {
  it('finds tool definitions sent with their schema keys in another order, naming the keys that moved', async () => {
    const f = top(await runCause('tool-key-order'));
    expect(f.kind).toBe('unstable-serialisation');
    expect(f.divergence?.path).toBe('tools[0]');
    expect(f.fieldsMoved?.[0]).toMatch(/^tools\[0\]\.input_schema\.properties: /);
    expect(f.costUsd).toBeCloseTo(f.lostTokens * SONNET_WRITE_NOT_READ, 9);
    expect(f.detail).toMatch(/provider-facts §1\.3/);
  });

  it('finds JSON embedded in a system prompt with its keys reordered', async () => {
    const f = top(await runCause('embedded-json'));
    expect(f.kind).toBe('unstable-serialisation');
    expect(f.divergence?.path).toBe('system[0]');
    expect(f.fieldsMoved).toHaveLength(1);
    expect(f.fieldsMoved?.[0]).toMatch(/^system\[0\] JSON: /);
    expect(f.divergence?.before.startsWith('Account settings: {')).toBe(true);
    expect(f.costUsd).toBeCloseTo(f.lostTokens * SONNET_WRITE_NOT_READ, 9);
  });
});

describe('breakpoint placement', () => {
  it('finds the only breakpoint placed after a volatile block, and names the last shared block for the fix', async () => {
    const f = top(await runCause('breakpoint-after-volatile'));
    expect(f.kind).toBe('breakpoint-placement');
    expect(f.id).toContain('after-volatile');
    expect(f.requests).toBe(119);
    expect(f.fix).toMatch(/cache_control to system\[0\]/);
    expect(f.divergence?.before.startsWith('Today is 2026-03-02T12:0')).toBe(true);
    expect(f.costUsd).toBeCloseTo(f.lostTokens * SONNET_WRITE_NOT_READ, 9);
  });

  it('finds breakpoints more than 20 blocks past the previous turn\u2019s entry', async () => {
    const f = top(await runCause('lookback'));
    expect(f.id).toContain('lookback');
    // 4 agent sessions of 8 turns: every turn after the first misses its previous turn's entry.
    expect(f.requests).toBe(28);
    expect(f.detail).toMatch(/24 blocks past/);
  });

  it('finds a long stable prefix sent without any breakpoint, priced by the TTL arithmetic', async () => {
    const f = top(await runCause('no-breakpoint'));
    expect(f.kind).toBe('breakpoint-placement');
    expect(f.ttl?.best).toBe('5m');
    // 120 requests of a 6,000-token system prompt 30 s apart: all input ($3/MTok) against one
    // 5-minute write ($3.75) and 119 reads ($0.30).
    const none = (120 * 6_000 * SONNET.input) / 1e6;
    const fiveMinutes = (6_000 * SONNET.cacheWrite5m + 119 * 6_000 * SONNET.cacheRead) / 1e6;
    expect(f.costUsd).toBeCloseTo(none - fiveMinutes, 9);
  });

  it('finds an OpenAI shared prefix under 1,024 tokens, priced net of padding it to the minimum', async () => {
    const f = top(await runCause('short-prefix', 'openai'));
    expect(f.id).toContain('short-prefix');
    expect(f.requests).toBe(149);
    // 800 shared tokens read at $0.50 instead of $2, less 224 padding tokens read at $0.50.
    expect(f.costUsd).toBeCloseTo((149 * (800 * (GPT41.input - GPT41.cacheRead) - 224 * GPT41.cacheRead)) / 1e6, 9);
  });

  it('finds prompt_cache_key traffic above ~15 requests a minute overflowing to cold machines', async () => {
    const f = top(await runCause('key-overflow', 'openai'));
    expect(f.id).toContain('key-overflow');
    expect(f.scenario).toBe('affinity-overflow');
    // 8 machines: the home one is warm; each of the 7 others misses once (5,888 readable tokens).
    expect(f.requests).toBe(7);
    expect(f.lostTokens).toBe(7 * 5_888);
  });
});

describe('TTL economics', () => {
  it('finds a prefix that comes back every 10 minutes cached for 5 minutes, and prices the 1-hour TTL', async () => {
    const f = top(await runCause('ttl-too-short'));
    expect(f.kind).toBe('ttl-economics');
    expect(f.ttl).toMatchObject({ current: '5m', best: '1h', prefixTokens: 18_000 });
    expect(f.ttl?.gaps).toEqual({ 'under 5 min': 0, '5 to 60 min': 71, 'over 1 h': 0 });
    // 72 writes at 1.25× against one write at 2× and 71 reads at 0.1×.
    const fiveMinutes = (72 * 18_000 * SONNET.cacheWrite5m) / 1e6;
    const oneHour = (18_000 * SONNET.cacheWrite1h + 71 * 18_000 * SONNET.cacheRead) / 1e6;
    expect(f.costUsd).toBeCloseTo(fiveMinutes - oneHour, 9);
    expect(f.scenario).toBe('ttl-economics');
  });
});

describe('model changes', () => {
  it('finds a model switch mid-log and the cold starts of prefixes that were warm on the old model', async () => {
    const report = await runCause('model-change');
    const f = report.findings.find((x) => x.kind === 'model-change');
    if (f === undefined) throw new Error('no model-change finding');
    expect(f.change).toMatchObject({ from: 'claude-sonnet-4-5-20250929', to: 'claude-sonnet-4-6', atIso: '2026-03-02T12:30:00.000Z' });
    // Each customer's 3,000-token prefix, warm on the old model, written again on the new.
    expect(f.lostTokens).toBe(f.requests * 3_000);
    expect(f.costUsd).toBeCloseTo(f.lostTokens * SONNET_WRITE_NOT_READ, 9);
    expect(f.scenario).toBe('migration-cold-start');
  });
});

describe('ranking, excerpts and redaction', () => {
  it('ranks findings by dollars over the log, dearest first', async () => {
    const a = generateLog('ttl-too-short').map((l) => ({ ...l, tenant: 'reports' }));
    const b = generateLog('volatile-timestamp').map((l) => ({ ...l, tenant: 'support' }));
    const report = await run([...a, ...b].sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : 0)));
    expect(report.findings.map((f) => f.kind).slice(0, 2)).toEqual(['ttl-economics', 'volatile-prefix']);
    const costs = report.findings.map((f) => f.costUsd);
    expect(costs).toEqual([...costs].sort((x, y) => y - x));
    expect(report.findings[0].costShare).toBeCloseTo(report.findings[0].costUsd / report.promptSpendUsd, 12);
  });

  it('keeps every excerpt within 80 characters', async () => {
    for (const cause of ['volatile-timestamp', 'embedded-json', 'breakpoint-after-volatile', 'tool-key-order'] as const) {
      for (const f of (await runCause(cause)).findings) {
        for (const text of [f.divergence?.before, f.divergence?.after, ...(f.fieldsMoved ?? [])]) if (text !== undefined) expect(text.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
      }
    }
  });

  it('replaces excerpts and moved fields with hashes under --redact, equal texts giving equal hashes', async () => {
    const lines = generateLog('embedded-json');
    const plain = top(await run(lines));
    const redacted = top(await run(lines, 'anthropic', true));
    expect(redacted.divergence?.before).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(redacted.fieldsMoved?.[0]).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(JSON.stringify(redacted)).not.toContain('Account settings');
    expect(redacted.costUsd).toBe(plain.costUsd);
  });

  it('gives the same report for the same log (determinism)', async () => {
    const lines = generateLog('personalisation');
    expect(JSON.stringify(await run(lines, 'openai'))).toBe(JSON.stringify(await run(lines, 'openai')));
  });

  it('charts the dollars lost per cause over time, summing to the findings\u2019 total', async () => {
    const report = await runCause('volatile-timestamp');
    const charted = report.series.reduce((sum, p) => sum + p.costUsd, 0);
    expect(charted).toBeCloseTo(report.findings.reduce((sum, f) => sum + f.costUsd, 0), 9);
    expect(new Set(report.series.map((p) => p.kind))).toEqual(new Set(report.findings.map((f) => f.kind)));
  });
});
