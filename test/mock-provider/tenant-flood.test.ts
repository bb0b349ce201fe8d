// Issue 16, item 3: 100,000 fresh keys grew the process from 171 MB to 1.5 GB and made one
// /metrics scrape 157 MB. The organisations the model keeps state for are bounded (the idlest
// forgotten first, counted in /metrics), and so are the organisations named in metric labels.
// Reduced scale: 3,000 keys against a bound of 500 organisations.

import { afterEach, describe, expect, it } from 'vitest';
import { startServer, waitForRows, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const send = (s: TestServer, key: string) =>
  s.app.inject({
    method: 'POST',
    url: '/v1/messages',
    headers: { 'x-api-key': key },
    payload: { model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'Hi.' }] },
  });

describe('tenant flood', () => {
  it('keeps model state, metric labels and the scrape bounded under 3,000 fresh keys', async () => {
    server = await startServer('anthropic', { maxOrganisations: 500, metricOrganisations: 10 });
    const keys = 3_000;
    for (let i = 0; i < keys; i++) expect((await send(server, `sk-flood-${i}`)).statusCode).toBe(200);
    expect(server.app.model.state.quotas.size).toBe(500);
    expect(server.app.model.state.salts.size).toBeLessThanOrEqual(500);
    const scrape = (await server.app.inject({ url: '/metrics' })).body;
    const organisations = new Set([...scrape.matchAll(/organisation="([^"]+)"/g)].map((m) => m[1]));
    expect(organisations.size).toBe(11);
    expect(organisations.has('other')).toBe(true);
    const requests = (organisation: string) =>
      [...scrape.matchAll(new RegExp(`cachecast_requests_total\\{organisation="${organisation}",[^}]*\\} (\\d+)`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
    expect(requests('other')).toBe(keys - 10);
    expect(scrape).toContain('cachecast_organisations 500');
    expect(scrape).toContain('cachecast_organisations_evicted 2500');
    // Unbounded, this scrape was ~4 MB at 3,000 keys (157 MB at 100,000).
    expect(scrape.length).toBeLessThan(64 * 1024);
  });

  it('forgets the idlest organisation first: its quotas restart, a busy one\'s do not', async () => {
    server = await startServer('anthropic', {
      maxOrganisations: 50,
      overrides: { quotas: [{ name: 'requests-per-minute', dimension: 'requests', kind: 'fixed-window', limit: 1, windowMs: 60_000 }] },
    });
    expect((await send(server, 'cc-idle')).statusCode).toBe(200);
    expect((await send(server, 'cc-busy')).statusCode).toBe(200);
    for (let i = 0; i < 60; i++) {
      await send(server, `cc-fresh-${i}`);
      await send(server, 'cc-busy');
    }
    expect((await send(server, 'cc-busy')).statusCode).toBe(429);
    // cc-idle was forgotten: a new organisation's full quota.
    expect((await send(server, 'cc-idle')).statusCode).toBe(200);
    const rows = await waitForRows(server, 124);
    expect(rows.filter((r) => r.tenant === 'idle').map((r) => r.status)).toEqual([200, 200]);
  });
});
