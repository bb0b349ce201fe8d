import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { buildMockProvider } from '../../../mock-provider/app.ts';
import { weakAdminToken } from '../../../mock-provider/admin/token.ts';
import type { TimedEvent } from '../../../core/model/events.ts';
import { timedEvents } from '../../../scenarios/kit/timeline.ts';
import { scheduleEvents } from '../../../mock-provider/apply-event.ts';
import { MOCK_DEFAULTS, STREAM_OVERLOAD_MODES, type MockProviderOptions, type StreamOverloadMode } from '../../../mock-provider/options.ts';
import { LedgerOpenError } from '../../../core/ledger/writer.ts';
import type { FastifyInstance } from 'fastify';
import { closeOnSignals, isLoopback, listenMockProvider, PortInUseError } from '../../../mock-provider/server.ts';
import { TOKENIZER_KINDS, type TokenizerKind } from '../../../core/wire/tokens.ts';
import { baselineVariant } from '../../../scenarios/kit/format.ts';
import { providerConfigOf, specFor } from '../../../scenarios/kit/validate.ts';
import { mergeConfig, type DeepPartial, type ProviderConfig } from '../../../core/model/config.ts';
import { providerConfigSchema } from '../../../core/model/config-schema.ts';
import { formatZodError } from '../../../core/wire/validation.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../../core/model/index.ts';
import { CachecastError } from '../../../core/errors.ts';
import type { CliIo } from '../io.ts';
import { checkVariant, loadScenario } from '../load-scenario.ts';
import type { ProviderState } from '../../../core/model/provider.ts';
import type { StreamState } from '../../../core/random/streams.ts';
import { snapshotIdentity } from '../../../scenarios/kit/snapshot-identity.ts';
import { readSnapshotFile, restoreFromFile } from '../snapshot-file.ts';

/** Every default of `cachecast serve`, in one place; the help text reads them from here. */
export const SERVE_DEFAULTS = {
  profile: 'anthropic' as ProfileName,
  host: MOCK_DEFAULTS.host,
  port: MOCK_DEFAULTS.port,
  timeScale: MOCK_DEFAULTS.timeScale,
  seed: MOCK_DEFAULTS.seed,
  tokenizer: MOCK_DEFAULTS.tokenizer as TokenizerKind,
  outputTokens: MOCK_DEFAULTS.outputTokens,
  bodyLimitMb: MOCK_DEFAULTS.bodyLimitBytes / (1024 * 1024),
  streamOverload: MOCK_DEFAULTS.streamOverload as StreamOverloadMode,
  maxOrganisations: MOCK_DEFAULTS.maxOrganisations,
  drainTimeoutS: MOCK_DEFAULTS.drainTimeoutMs / 1000,
};

interface ServeOptions {
  profile?: string;
  config?: string;
  scenario?: string;
  variant?: string;
  host: string;
  port: string;
  timeScale: string;
  epoch?: string;
  ledger?: string;
  seed?: string;
  tokenizer: TokenizerKind;
  adminToken?: string;
  apiKeys?: string;
  refuseUnknownKeys?: boolean;
  outputTokens: string;
  bodyLimitMb: string;
  streamOverload: StreamOverloadMode;
  maxOrganisations: string;
  drainTimeout: string;
  state?: string;
}

const number = (flag: string, text: string, check: (n: number) => boolean, what: string): number => {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new CachecastError('CC_ERR_USAGE', `${flag}: expected ${what}, got "${text}"`);
  return value;
};

const readJson = (flag: string, path: string, cwd: string): unknown => {
  try {
    return JSON.parse(readFileSync(resolve(cwd, path), 'utf8'));
  } catch (error) {
    throw new CachecastError('CC_ERR_USAGE', `${flag} ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

interface Provider {
  config: ProviderConfig;
  scenario?: string;
  variant?: string;
  seed?: string;
  startAtMs?: number;
  events: TimedEvent[];
  /** The scenario's declared API keys (`provider.apiKeys`, `provider.refuseUnknownKeys`). */
  apiKeys?: Record<string, string>;
  refuseUnknownKeys?: boolean;
  /** From --state: the provider state to start from, and where its random stream resumes. */
  state?: ProviderState;
  streamState?: StreamState;
}

/** --state: the scenario's provider as a snapshot left it, its clock at the snapshot's time and only later events to come. */
const providerFromState = async (options: ServeOptions, io: CliIo, path: string): Promise<Provider> => {
  if (options.profile !== undefined || options.config !== undefined) {
    throw new CachecastError('CC_ERR_USAGE', '--state: the snapshot holds the provider config; leave out --profile and --config');
  }
  const unchecked = readSnapshotFile('--state', path, io.cwd);
  const scenario = await loadScenario(options.scenario ?? unchecked.identity.scenario, io.cwd).catch((error: unknown) => {
    if (error instanceof CachecastError && error.code === 'CC_ERR_SCENARIO_NOT_FOUND' && options.scenario === undefined) {
      throw new CachecastError('CC_ERR_SCENARIO_NOT_FOUND', `--state ${path} is of scenario "${unchecked.identity.scenario}", which is not built in: add --scenario <file.ts>`);
    }
    throw error;
  });
  const variant = options.variant ?? unchecked.identity.variant;
  checkVariant(scenario, variant);
  const snapshot = readSnapshotFile('--state', path, io.cwd, snapshotIdentity(scenario, variant, options.seed ?? scenario.seed));
  const spec = specFor(scenario, variant);
  const state = restoreFromFile('--state', path, snapshot);
  return {
    config: state.config,
    scenario: scenario.name,
    variant,
    seed: snapshot.identity.seed,
    startAtMs: snapshot.atMs,
    events: timedEvents(spec, scenario.startMs).filter((e) => e.atMs >= snapshot.atMs),
    state,
    streamState: snapshot.streams.provider,
  };
};

/** The provider to impersonate: a scenario's provider section, or a profile; --config overrides either. */
const providerFor = async (options: ServeOptions, io: CliIo): Promise<Provider> => {
  if (options.state !== undefined) return providerFromState(options, io, options.state);
  let provider: Provider;
  if (options.scenario !== undefined) {
    if (options.profile !== undefined) throw new CachecastError('CC_ERR_USAGE', '--profile and --scenario: give one; a scenario names its own profile');
    // A scenario's own code runs on this thread here: say so first, in case it never returns.
    io.err(`loading scenario ${options.scenario}…\n`);
    const scenario = await loadScenario(options.scenario, io.cwd);
    const variant = options.variant ?? baselineVariant(scenario);
    checkVariant(scenario, variant);
    const spec = specFor(scenario, variant);
    provider = {
      config: providerConfigOf(spec, variant),
      scenario: scenario.name,
      variant,
      seed: scenario.seed,
      startAtMs: scenario.startMs,
      events: timedEvents(spec, scenario.startMs),
      apiKeys: spec.provider.apiKeys,
      refuseUnknownKeys: spec.provider.refuseUnknownKeys,
    };
  } else {
    if (options.variant !== undefined) throw new CachecastError('CC_ERR_USAGE', '--variant needs --scenario');
    const profile = options.profile ?? SERVE_DEFAULTS.profile;
    if (!(PROFILE_NAMES as string[]).includes(profile)) {
      throw new CachecastError('CC_ERR_USAGE', `--profile: expected one of ${PROFILE_NAMES.join(', ')}, got "${profile}"`);
    }
    provider = { config: structuredClone(PROFILES[profile as ProfileName]), events: [] };
  }
  if (options.config !== undefined) {
    const overrides = readJson('--config', options.config, io.cwd);
    if (!isObject(overrides)) throw new CachecastError('CC_ERR_USAGE', `--config ${options.config}: expected a JSON object of provider config overrides`);
    const parsed = providerConfigSchema.safeParse(mergeConfig<ProviderConfig>(provider.config, overrides as DeepPartial<ProviderConfig>));
    if (!parsed.success) throw new CachecastError('CC_ERR_USAGE', `--config ${options.config}: ${formatZodError(parsed.error).message}`);
    provider.config = parsed.data;
  }
  return provider;
};

const apiKeysFrom = (path: string | undefined, cwd: string): Record<string, string> => {
  if (path === undefined) return {};
  const keys = readJson('--api-keys', path, cwd);
  if (!isObject(keys) || Object.values(keys).some((v) => typeof v !== 'string' || v === '')) {
    throw new CachecastError('CC_ERR_USAGE', `--api-keys ${path}: expected a JSON object mapping each API key to an organisation name`);
  }
  return keys as Record<string, string>;
};

/** The app, or the reason it cannot start as a CachecastError: checked before anything listens. */
const buildMockProviderOrExplain = async (options: MockProviderOptions): Promise<FastifyInstance> => {
  try {
    return await buildMockProvider(options);
  } catch (error) {
    if (error instanceof LedgerOpenError) {
      throw new CachecastError('CC_ERR_LEDGER_UNWRITABLE', `--ledger ${error.path}: cannot write it: ${error.reason}; give a file path in an existing directory`);
    }
    throw error;
  }
};

/** `stop` lets tests end the server without sending the process a signal. */
export const serveCommand = (io: CliIo, stop?: AbortSignal): Command =>
  new Command('serve')
    .description(
      'serve a mock LLM provider over HTTP: Anthropic Messages (POST /v1/messages), OpenAI Chat\n' +
        'Completions (POST /v1/chat/completions) and Responses (POST /v1/responses), streaming and not,\n' +
        'answered by the same provider model\n' +
        'the simulator uses; admin routes under /admin, Prometheus metrics at /metrics. Ctrl-C stops it\n' +
        'gracefully: requests in flight finish and the ledger is flushed.',
    )
    .option('--profile <name>', `provider profile: ${PROFILE_NAMES.join(' | ')} (default: ${SERVE_DEFAULTS.profile})`)
    .option('--config <file>', 'JSON file of provider config overrides, merged over the profile or scenario (default: none)')
    .option('--scenario <name|file>', 'serve this scenario\'s provider: profile, overrides, events at their times, start time, seed (default: none)')
    .option('--variant <name>', 'scenario variant (default: the scenario\'s first, its baseline)')
    .option(
      '--state <file>',
      'start from a state snapshot (`cachecast run --snapshot-at`): its caches, quotas, node slots and provider clock,\n' +
        'the snapshot\'s scenario (built in, or --scenario <file>) and its later events (default: a fresh provider)',
    )
    .option('--host <address>', `address to bind; anything but loopback needs --admin-token (default: ${SERVE_DEFAULTS.host})`, SERVE_DEFAULTS.host)
    .option('--port <n>', `TCP port; 0 picks a free one (default: ${SERVE_DEFAULTS.port})`, String(SERVE_DEFAULTS.port))
    .option('--time-scale <n>', `provider milliseconds per wall millisecond; 60 makes a wall second a provider minute (default: ${SERVE_DEFAULTS.timeScale})`, String(SERVE_DEFAULTS.timeScale))
    .option('--epoch <iso>', 'wall-clock instant (ISO 8601) at which provider time starts, then runs at the time scale; give replicas behind a load balancer the same one so their ledgers share one timeline (default: when this server starts)')
    .option('--ledger <file>', 'NDJSON ledger file, one row per request, written as rows happen (default: none; rows stay readable at /admin/ledger)')
    .option('--seed <seed>', `seed for routing, faults, output lengths and generated text (default: the scenario's seed, else "${SERVE_DEFAULTS.seed}")`)
    .addOption(new Option('--tokenizer <kind>', `prompt token counts: fast (4 characters per token) or exact (js-tiktoken) (default: ${SERVE_DEFAULTS.tokenizer})`).choices(TOKENIZER_KINDS).default(SERVE_DEFAULTS.tokenizer))
    .option('--admin-token <token>', 'require this bearer token (16+ characters) on /admin routes and /metrics (default: none; required beyond loopback)')
    .option('--api-keys <file>', 'JSON file mapping API keys to organisations (default: none; `cc-<org>` keys name their organisation, others map to org-<hash>)')
    .option('--refuse-unknown-keys', 'only keys in --api-keys (or the scenario\'s provider.apiKeys) and cc-<org> keys exist; any other key gets the wire\'s 401 authentication_error / invalid_api_key (default: any key is accepted)')
    .option('--output-tokens <n>', `output tokens a request generates before max_tokens caps it, tokens (default: ${SERVE_DEFAULTS.outputTokens}; a client may send x-cachecast-output-tokens)`, String(SERVE_DEFAULTS.outputTokens))
    .option('--body-limit-mb <n>', `largest request body before a 413, MB (default: ${SERVE_DEFAULTS.bodyLimitMb}, Anthropic's documented limit)`, String(SERVE_DEFAULTS.bodyLimitMb))
    .addOption(new Option('--stream-overload <mode>', `how a 529 reaches a streaming client: mid-stream (an SSE error event) or status (default: ${SERVE_DEFAULTS.streamOverload})`).choices(STREAM_OVERLOAD_MODES).default(SERVE_DEFAULTS.streamOverload))
    .option('--max-organisations <n>', `organisations the provider keeps quotas for; past it the idlest is forgotten (default: ${SERVE_DEFAULTS.maxOrganisations})`, String(SERVE_DEFAULTS.maxOrganisations))
    .option('--drain-timeout <s>', `on Ctrl-C/SIGTERM, seconds requests in flight may take to finish before their connections are cut (499 rows) (default: ${SERVE_DEFAULTS.drainTimeoutS})`, String(SERVE_DEFAULTS.drainTimeoutS))
    .action(async (options: ServeOptions) => {
      const port = number('--port', options.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65_535, 'an integer port from 0 to 65535');
      const timeScale = number('--time-scale', options.timeScale, (n) => n > 0, 'a positive number');
      const outputTokens = number('--output-tokens', options.outputTokens, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
      const maxOrganisations = number('--max-organisations', options.maxOrganisations, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
      const drainTimeoutS = number('--drain-timeout', options.drainTimeout, (n) => n >= 0, 'a non-negative number of seconds');
      const bodyLimitMb = number('--body-limit-mb', options.bodyLimitMb, (n) => n > 0, 'a positive number of megabytes');
      if (!isLoopback(options.host) && options.adminToken === undefined) {
        throw new CachecastError(
          'CC_ERR_ADMIN_TOKEN_REQUIRED',
          `--host ${options.host} exposes the admin routes beyond this machine; add --admin-token <token>, or bind 127.0.0.1`,
        );
      }
      const weak = options.adminToken === undefined ? undefined : weakAdminToken(options.adminToken);
      if (weak !== undefined) throw new CachecastError('CC_ERR_ADMIN_TOKEN_WEAK', `--admin-token: ${weak}`);
      const epochMs = options.epoch === undefined ? undefined : Date.parse(options.epoch);
      if (epochMs !== undefined && !Number.isFinite(epochMs)) throw new CachecastError('CC_ERR_USAGE', `--epoch must be an ISO 8601 time such as 2026-03-02T12:00:00Z, got "${options.epoch}"`);
      const provider = await providerFor(options, io);
      const ledgerPath = options.ledger === undefined ? undefined : resolve(io.cwd, options.ledger);
      const app = await buildMockProviderOrExplain({
        config: provider.config,
        timeScale,
        startAtMs: provider.startAtMs,
        epochMs,
        ...(provider.state === undefined ? {} : { state: provider.state, providerStreamState: provider.streamState }),
        seed: options.seed ?? provider.seed ?? SERVE_DEFAULTS.seed,
        tokenizer: options.tokenizer,
        ledgerPath,
        scenario: provider.scenario,
        variant: provider.variant,
        outputTokens: () => outputTokens,
        bodyLimitBytes: Math.round(bodyLimitMb * 1024 * 1024),
        apiKeys: { ...provider.apiKeys, ...apiKeysFrom(options.apiKeys, io.cwd) },
        refuseUnknownKeys: options.refuseUnknownKeys === true || provider.refuseUnknownKeys === true,
        adminToken: options.adminToken,
        streamOverload: options.streamOverload,
        maxOrganisations,
        drainTimeoutMs: Math.round(drainTimeoutS * 1000),
      });
      scheduleEvents(app, provider.events);
      let urls;
      try {
        // `[::1]` is how an IPv6 address is written in a URL; the socket wants it bare.
        urls = await listenMockProvider(app, options.host.replace(/^\[(.*)\]$/, '$1'), port);
      } catch (error) {
        await app.close();
        if (error instanceof PortInUseError) {
          throw new CachecastError('CC_ERR_PORT_IN_USE', `${error.message}; stop what is using it, or pick another with --port (0 picks a free one)`);
        }
        throw error;
      }
      const what =
        (provider.scenario === undefined ? `${provider.config.profile} profile` : `scenario ${provider.scenario}/${provider.variant}`) +
        (provider.state === undefined ? '' : `, from the state at ${new Date(provider.startAtMs!).toISOString()}`);
      io.out(
        `cachecast mock provider (${what}, time scale ${timeScale}×) listening on ${urls.origin}\n` +
          `  Anthropic SDK  baseURL ${urls.anthropic}   (ANTHROPIC_BASE_URL=${urls.anthropic})\n` +
          `  OpenAI SDK     baseURL ${urls.openai}   (OPENAI_BASE_URL=${urls.openai})\n` +
          `  API keys       any key; cc-<org> names the organisation (caches and quotas are per organisation)\n` +
          `  admin          ${urls.origin}/admin/{events,config,ledger,summary,reset}   metrics ${urls.origin}/metrics\n` +
          (ledgerPath === undefined ? '' : `  ledger         ${relative(io.cwd, ledgerPath) || ledgerPath}\n`),
      );
      io.err(`Ctrl-C stops: requests in flight have ${drainTimeoutS} s to finish, then the ledger is flushed.\n`);
      await closeOnSignals(app, ['SIGINT', 'SIGTERM'], stop);
      const totals = app.mock.totals.totals();
      io.err(`stopped after ${totals.requests.toLocaleString('en-US')} requests${ledgerPath === undefined ? '' : `; ledger ${relative(io.cwd, ledgerPath) || ledgerPath} closed`}\n`);
    });
