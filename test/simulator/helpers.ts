import { defineScenario, type Executor, type ScenarioSpec } from '../../scenarios/kit/format.ts';
import { segment } from '../../scenarios/kit/prompt.ts';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
import { runScenario } from '../../simulator/run.ts';

/** A one-variant scenario around the given traffic, on one Anthropic node. */
export const tinyScenario = (traffic: Record<string, Executor>, extra: Partial<ScenarioSpec> = {}) =>
  defineScenario({
    name: 'tiny',
    description: 'test scenario',
    startAt: '2026-01-05T00:00:00Z',
    variants: { baseline: 'the only one' },
    setup: () => ({ provider: { profile: 'anthropic', overrides: { nodes: { count: 1 } } }, traffic, ...extra }),
  });

export const simpleRequest = (i: number) => ({
  tenant: 'acme',
  session: `s${i % 3}`,
  model: 'claude-sonnet-4-5-20250929',
  segments: [segment('system', 2_000, '5m'), segment(`user:${i}`, 100)],
  outputTokens: 100,
});

export const collect = async (scenario: ReturnType<typeof defineScenario>, variant = 'baseline', seed?: string) => {
  const rows: LedgerRow[] = [];
  const summary = await runScenario({ scenario, variant, seed, sink: (row) => rows.push(row) });
  const requests = rows.filter((r): r is RequestRow => r.kind === 'request');
  return { rows, requests, summary };
};
