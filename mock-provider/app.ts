// The mock provider as a fastify app: `buildMockProvider(options)` assembles it and never calls
// `listen` (server.ts does; tests use `inject` or a loopback port). The provider model is a
// decoration, each wire API is its own plugin with its own error handler, and ledger rows are
// written by one hook (ledger-hook.ts) that each model route runs first.

import Fastify, { type FastifyInstance } from 'fastify';
import { createTotals } from '../core/ledger/totals.ts';
import { providerConfigSchema } from '../core/model/config-schema.ts';
import { createProvider } from '../core/model/provider.ts';
import { resumableStream } from '../core/random/streams.ts';
import { adminPlugin, refuseAdmin } from './admin/plugin.ts';
import { adminAllowed, weakAdminToken } from './admin/token.ts';
import { anthropicPlugin } from './anthropic/plugin.ts';
import { keyBook } from './auth.ts';
import { clientErrorHandler } from './client-error.ts';
import { createTenantBook } from './tenants.ts';
import { createWallClock } from './clock.ts';
import { createLedgerSink } from './ledger-sink.ts';
import { createMetrics } from './prometheus.ts';
import { modelsPlugin } from './models.ts';
import { openaiPlugin } from './openai/plugin.ts';
import { MOCK_DEFAULTS, type MockProviderOptions } from './options.ts';
import type { MockRuntime, ModelHolder } from './runtime.ts';
import { createTextMemo } from '../core/wire/text-memo.ts';
import { tooDeepAt, tooDeepMessage } from '../core/wire/depth.ts';
import { createTextGenerator } from './text.ts';
import { createTokenCounter } from '../core/wire/tokens.ts';
import { formatZodError } from '../core/wire/validation.ts';

/** The admin token given is empty or too short to guard anything. */
export class WeakAdminTokenError extends Error {}

export const buildMockProvider = async (options: MockProviderOptions): Promise<FastifyInstance> => {
  // The parsed config, not the one given: parsing reads null (JSON's Infinity) as unlimited, and
  // its output is the app's own copy, which createProvider clones again for the live state.
  const checked = providerConfigSchema.safeParse(options.config);
  if (!checked.success) throw new TypeError(`config.${formatZodError(checked.error).message}`);
  const config = checked.data;
  const weak = options.adminToken === undefined ? undefined : weakAdminToken(options.adminToken);
  if (weak !== undefined) throw new WeakAdminTokenError(weak);
  const seed = options.seed ?? MOCK_DEFAULTS.seed;
  const tokenizer = options.tokenizer ?? MOCK_DEFAULTS.tokenizer;
  const clock = options.clock ?? createWallClock({ timeScale: options.timeScale ?? MOCK_DEFAULTS.timeScale, startAtMs: options.startAtMs, epochMs: options.epochMs });
  const bodyLimitBytes = options.bodyLimitBytes ?? MOCK_DEFAULTS.bodyLimitBytes;
  const tenants = createTenantBook(options.maxOrganisations ?? MOCK_DEFAULTS.maxOrganisations);
  const metrics = createMetrics({
    maxOrganisations: options.metricOrganisations ?? MOCK_DEFAULTS.metricOrganisations,
    tenants,
    followersDropped: () => mock.followersDropped,
  });
  const ledger = createLedgerSink({ path: options.ledgerPath, keepRecentRows: options.keepRecentRows ?? MOCK_DEFAULTS.keepRecentRows });
  const model: ModelHolder = { state: options.state ?? createProvider(config), initialConfig: config };
  const mock: MockRuntime = {
    clock,
    seed,
    scenario: options.scenario ?? MOCK_DEFAULTS.scenario,
    variant: options.variant ?? MOCK_DEFAULTS.variant,
    providerRng: resumableStream(seed, 'provider', options.providerStreamState).rng,
    outputTokens: options.outputTokens ?? (() => MOCK_DEFAULTS.outputTokens),
    describeText: {
      anthropic: createTextMemo(await createTokenCounter(tokenizer, 'cl100k_base')),
      openai: createTextMemo(await createTokenCounter(tokenizer, 'o200k_base')),
    },
    text: createTextGenerator(seed),
    ledger,
    metrics,
    totals: createTotals(),
    keys: keyBook(options.apiKeys ?? {}, options.refuseUnknownKeys ?? false),
    tenants,
    adminToken: options.adminToken,
    streamOverload: options.streamOverload ?? MOCK_DEFAULTS.streamOverload,
    bodyLimitBytes,
    draining: false,
    followersDropped: 0,
    startedAtMs: clock.nowMs(),
    clientSendTimes: options.clientSendTimes ?? false,
    lastModelMs: Number.NEGATIVE_INFINITY,
  };
  // Renderers listen: metrics and the summary are fed from ledger rows, nothing else.
  ledger.subscribe(metrics.record);
  ledger.subscribe((row) => {
    if (row.kind === 'request') mock.totals.add(row);
  });

  let requestCount = 0;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: bodyLimitBytes,
    // The providers accept a body with a `__proto__` or `constructor` key and ignore it as an unknown
    // field; fastify's default answers 400 and scans every body's text for those keys (a fifth of
    // a cached request's parse time). Nothing here merges request data into live objects: zod drops
    // `__proto__` and canonical.ts builds prototype-free objects.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // Requests that arrive while closing (on a connection still busy) are refused by the wire
    // plugins in their own overload shape, with a ledger row (ledger-hook.ts), not by fastify's
    // bare 503 that left no row (issue 16, item 8).
    return503OnClosing: false,
    clientErrorHandler: clientErrorHandler(config.wire),
    // Request ids in Anthropic's style, unique per app; the wire plugins echo them in headers and bodies.
    genReqId: () => `req_cc${(++requestCount).toString(36).padStart(10, '0')}`,
  });
  app.decorate('model', model);
  app.decorate('mock', mock);
  app.decorateRequest('exchange', null);
  // Before any handler walks the body: too deep a body is a 400, answered by the route's own
  // wire plugin in its error shape, never a stack overflow's 500 (core/wire/depth.ts).
  app.addHook('preValidation', (request, _reply, done) => {
    const at = tooDeepAt(request.body);
    if (at === undefined) done();
    else done(Object.assign(new Error(tooDeepMessage(at)), { statusCode: 400 }));
  });
  await app.register(anthropicPlugin);
  await app.register(openaiPlugin);
  await app.register(modelsPlugin);
  await app.register(adminPlugin);
  // /metrics names every organisation, so it follows the admin token rule (issue 16, item 2).
  app.get('/metrics', async (request, reply) => {
    if (!adminAllowed(mock.adminToken, request.headers)) return refuseAdmin(reply);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // Closing stops new connections at once, but a keep-alive connection whose request is still in
  // flight stays open after its answer, and the server cannot finish closing while it does. So
  // while closing, connections are reaped as soon as they fall idle, and whatever is still open
  // at the drain deadline is cut: its rows are written as the connections close (499s, billed by
  // abandoned.ts), so the ledger still has one row per request.
  const drainTimeoutMs = options.drainTimeoutMs ?? MOCK_DEFAULTS.drainTimeoutMs;
  let reaper: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    mock.draining = true;
    reaper = setInterval(() => app.server.closeIdleConnections(), 20);
    reaper.unref();
    deadline = setTimeout(() => app.server.closeAllConnections(), drainTimeoutMs);
    deadline.unref();
  });
  // The ledger closes after the server has stopped taking requests and the last row is written.
  app.addHook('onClose', async () => {
    await ledger.close();
    clearInterval(reaper);
    clearTimeout(deadline);
  });
  return app;
};
