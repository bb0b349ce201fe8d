// Issue 16, item 9: followers of /admin/ledger?follow=true that never read held every later row
// in memory (five of them: 178 → 644 MB in 60 s). A follower more than FOLLOWER_BUFFER_BYTES
// behind is dropped; a reading follower is not.

import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FOLLOWER_BUFFER_BYTES } from '../../mock-provider/admin/plugin.ts';
import type { RequestRow } from '../../core/ledger/row.ts';
import { startServer, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const row = (i: number): RequestRow => ({
  kind: 'request', atMs: i, scenario: 'serve', variant: 'default', tenant: `t${i % 7}`, session: `s${i}`, class: 'interactive',
  model: 'claude-sonnet-4-6', node: 0, affinity: 'home', status: 200, inputTokens: 100, cacheReadTokens: 2_000, cacheWriteTokens: 0,
  cacheWrite1hTokens: 0, outputTokens: 200, costUsd: 0.0039, ttftMs: 500, latencyMs: 3_000, retryAfterMs: 0, attempt: 0,
});

describe('a ledger follower that stops reading', () => {
  it('is dropped once it is 4 MB behind, while a reading follower keeps every row', async () => {
    server = await startServer('anthropic', { keepRecentRows: 0 });
    const { port } = new URL(server.origin);
    const stalled = connect(Number(port), '127.0.0.1');
    stalled.write('GET /admin/ledger?follow=true HTTP/1.1\r\nhost: x\r\n\r\n');
    let stalledClosed = false;
    stalled.on('close', () => (stalledClosed = true));
    // Never reads: what the server sends fills the kernel's buffers, then the server's.
    stalled.pause();
    const reader = await fetch(`${server.origin}/admin/ledger?follow=true`);
    const stream = reader.body!.getReader();
    let readBytes = 0;
    const reading = (async () => {
      for (;;) {
        const { value, done } = await stream.read();
        if (done) return;
        readBytes += value.byteLength;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    let bytes = 0;
    // Up to ~30 MB of rows, 250 at a time, each batch once the reading follower has read the last:
    // it is never more than a batch behind, however slow the machine.
    let written = 0;
    for (let batch = 0; batch < 320 && server.app.mock.followersDropped === 0; batch++) {
      for (let i = 0; i < 250; i++) {
        const next = row(written++);
        bytes += Buffer.byteLength(`${JSON.stringify(next)}\n`);
        server.app.mock.ledger.write(next);
      }
      while (readBytes < bytes && server.app.mock.followersDropped < 2) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(server.app.mock.followersDropped).toBe(1);
    // Dropped within the bound plus what the sockets' kernel buffers took.
    expect(bytes).toBeLessThan(FOLLOWER_BUFFER_BYTES + 16 * 2 ** 20);
    // The stalled client, once it reads again, finds its connection cut.
    stalled.resume();
    while (!stalledClosed) await new Promise((resolve) => setTimeout(resolve, 5));
    while (readBytes < bytes) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(readBytes).toBe(bytes);
    const scrape = (await server.app.inject({ url: '/metrics' })).body;
    expect(scrape).toContain('cachecast_ledger_followers_dropped 1');
    await server.close();
    server = undefined;
    await reading;
  });
});
