// A profile sent to the other wire, on real k6 (issue 11): an OpenAI scenario's script run with
// plain `k6 run` against a mock provider serving the Anthropic profile gets 404 for every request
// (no OpenAI route), and k6 must exit non-zero: every bundle carries a threshold that fails when
// over 1 % of responses are ones no scenario asks for. Before it, k6 exited 0.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeConfig, type ProviderConfig } from '../../core/model/config.ts';
import { PROFILES } from '../../core/model/index.ts';
import { buildMockProvider } from '../../mock-provider/app.ts';
import { runCli } from '../cli/helpers.ts';
import { REQUESTS } from './fixtures/openai-short.ts';
import { k6Binaries, ROOT } from './k6-binaries.ts';

const K6_THRESHOLDS_FAILED = 99;

describe.each(k6Binaries())('k6 $version: an OpenAI script against an Anthropic mock provider', (k6) => {
  const dir = mkdtempSync(join(tmpdir(), 'cachecast-mismatch-'));
  let mock: Awaited<ReturnType<typeof buildMockProvider>>;
  let script: string;

  beforeAll(async () => {
    mock = await buildMockProvider({ config: mergeConfig<ProviderConfig>(structuredClone(PROFILES.anthropic), {}), timeScale: 1, ledgerPath: join(dir, 'ledger.ndjson') });
    const origin = await mock.listen({ host: '127.0.0.1', port: 0 });
    script = join(dir, 'openai-short.js');
    const built = await runCli(['k6', 'build', join(ROOT, 'test/live/fixtures/openai-short.ts'), '--time-scale', '1', '--target', origin, '--out', script]);
    expect(built.error).toBeUndefined();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('fails k6 with its threshold exit code, every response counted as unexpected', async () => {
    const summaryPath = join(dir, `summary-${k6.version}.json`);
    // Asynchronously: the mock provider answers from this process.
    const status = await new Promise<number | null>((resolve) => {
      const child = spawn(k6.path, ['run', '--no-usage-report', '-q', '-e', `CACHECAST_SUMMARY=${summaryPath}`, script], { stdio: 'ignore' });
      child.once('close', resolve);
    });
    expect(status).toBe(K6_THRESHOLDS_FAILED);
    const figures = (JSON.parse(readFileSync(summaryPath, 'utf8')) as { cachecast: { responses: number; unexpectedResponses: number } }).cachecast;
    expect(figures.responses).toBe(REQUESTS);
    expect(figures.unexpectedResponses).toBe(REQUESTS);
  });
});
