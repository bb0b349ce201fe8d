import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

it('retries 529s with the SDK backoff until the burst is over, as the simulator does', async () => {
  const rows = live.rows();
  const bySession = new Map<string, Array<[number, number]>>();
  for (const row of rows) bySession.set(row.session, [...(bySession.get(row.session) ?? []), [row.attempt, row.status]]);
  expect(bySession.size).toBe(4);
  // Each session is overloaded until its retries carry it past 2 s, then answered, on the same
  // attempts as in the simulator (the backoff's jitter draws are the same numbers).
  const simulated = new Map<string, Array<[number, number]>>();
  for (const row of (await simulate(bundle.scenario, 'baseline')).rows) {
    simulated.set(row.session, [...(simulated.get(row.session) ?? []), [row.attempt, row.status]]);
  }
  for (const [session, attempts] of bySession) {
    expect(attempts.at(-1)?.[1], session).toBe(200);
    expect(attempts.slice(0, -1).every(([, status]) => status === 529), session).toBe(true);
    expect(attempts.map(([attempt]) => attempt), session).toEqual(attempts.map((_, i) => i));
    expect(attempts.length, session).toBe(simulated.get(session)?.length);
  }
});
