// Shared set-up for the mock-provider tests: an app on a loopback port with a manual clock (so no
// assertion depends on the machine's speed), and prompts whose token counts are known exactly
// under the fast estimator (4 characters per token).

import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildMockProvider } from '../../mock-provider/app.ts';
import { createManualClock, type ManualClock } from '../../mock-provider/clock.ts';
import type { MockProviderOptions } from '../../mock-provider/options.ts';
import type { LedgerRow, RequestRow } from '../../core/ledger/row.ts';
import { mergeConfig, type DeepPartial, type ProviderConfig } from '../../core/model/config.ts';
import { PROFILES } from '../../core/model/index.ts';

export interface TestServer {
  app: FastifyInstance;
  clock: ManualClock;
  /** http://127.0.0.1:<port> */
  origin: string;
  rows: () => RequestRow[];
  events: () => LedgerRow[];
  close: () => Promise<void>;
}

export const configFor = (profile: 'anthropic' | 'openai', overrides?: DeepPartial<ProviderConfig>): ProviderConfig =>
  mergeConfig<ProviderConfig>(structuredClone(PROFILES[profile]), overrides);

export const startServer = async (
  profile: 'anthropic' | 'openai',
  options: Partial<MockProviderOptions> & { overrides?: DeepPartial<ProviderConfig> } = {},
): Promise<TestServer> => {
  const clock = (options.clock as ManualClock | undefined) ?? createManualClock();
  const app = await buildMockProvider({ ...options, config: options.config ?? configFor(profile, options.overrides), clock });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const all = (): LedgerRow[] => app.mock.ledger.recent();
  return {
    app,
    clock,
    origin: `http://127.0.0.1:${port}`,
    rows: () => all().filter((row): row is RequestRow => row.kind === 'request'),
    events: () => all().filter((row) => row.kind === 'event'),
    close: () => app.close(),
  };
};

/** Text of exactly `tokens` tokens under the fast estimator, distinct per `label`. */
export const textOfTokens = (tokens: number, label = 'doc'): string => {
  const base = `${label}: the quick brown fox jumps over the lazy dog. `;
  return base.repeat(Math.ceil((tokens * 4) / base.length)).slice(0, tokens * 4);
};

/** Rows are written when the response closes, a tick after the client has its answer: wait for them. */
export const waitForRows = async (server: TestServer, count: number): Promise<RequestRow[]> => {
  for (let i = 0; i < 400 && server.rows().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  return server.rows();
};
