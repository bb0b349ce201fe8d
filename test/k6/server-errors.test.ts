import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestRow } from '../../core/ledger/row.ts';
import { bundleOf, FIXTURES, type LiveInProcess, runAgainstMock, simulate } from './helpers.ts';

let live: LiveInProcess;
let bundle: Awaited<ReturnType<typeof bundleOf>>;
beforeAll(async () => {
  bundle = await bundleOf(join(FIXTURES, 'server-errors.ts'), 'baseline', 10);
  live = await runAgainstMock(bundle, 'baseline', 10);
});
afterAll(async () => {
  await live.app.close();
});

const bySession = (rows: RequestRow[]): Map<string, RequestRow[]> => {
  const sessions = new Map<string, RequestRow[]>();
  for (const row of rows) sessions.set(row.session, [...(sessions.get(row.session) ?? []), row]);
  return sessions;
};

it('retries 529s with the SDK backoff until the burst is over, waiting what the simulator waits', async () => {
  const liveSessions = bySession(live.rows());
  const simSessions = bySession((await simulate(bundle.scenario, 'baseline')).rows);
  expect(liveSessions.size).toBe(4);
  for (const [session, attempts] of liveSessions) {
    // Overloaded until a retry lands past the 2 s burst, then answered; attempts numbered in order.
    expect(attempts.map((r) => r.status), session).toEqual([...attempts.slice(0, -1).map(() => 529), 200]);
    expect(attempts.map((r) => r.attempt), session).toEqual(attempts.map((_, i) => i));
    // Each wait is the simulator's (the same backoff and jitter draws), plus whatever the wall
    // clock added: never less, and not seconds more. Scheduling can only delay a live retry,
    // which may then land past the burst one attempt sooner than in the simulator.
    const simulated = simSessions.get(session) ?? [];
    for (let i = 1; i < Math.min(attempts.length, simulated.length); i++) {
      const liveWait = attempts[i].atMs - attempts[i - 1].atMs;
      const simWait = simulated[i].atMs - simulated[i - 1].atMs;
      expect(liveWait, `${session} retry ${i}`).toBeGreaterThanOrEqual(simWait - 1);
      expect(liveWait, `${session} retry ${i}`).toBeLessThan(simWait + 2_000);
    }
    expect(attempts.length, session).toBeLessThanOrEqual(simulated.length);
  }
});
