// Seeded request logs, one per cause doctor looks for, built with @faker-js/faker (the text) and the
// scenario kit (durations, uniform and Zipf draws from seeded streams). Each returns the log's
// lines as objects; `toNdjson` makes the file. Same cause and seed, same bytes.

import { base, en, Faker } from '@faker-js/faker';
import { stream } from '../../../core/random/streams.ts';
import { parseDuration } from '../../../scenarios/kit/durations.ts';
import { uniformInt, zipf } from '../../../scenarios/kit/prompt.ts';

export interface LogLine {
  ts: string;
  body: Record<string, unknown>;
  tenant?: string;
  session?: string;
}

export const CAUSES = [
  'clean',
  'clean-openai',
  'volatile-timestamp',
  'personalisation',
  'tool-key-order',
  'embedded-json',
  'breakpoint-after-volatile',
  'lookback',
  'ttl-too-short',
  'no-breakpoint',
  'model-change',
  'short-prefix',
  'key-overflow',
] as const;
export type Cause = (typeof CAUSES)[number];

const START_MS = Date.parse('2026-03-02T12:00:00Z');
const SONNET = 'claude-sonnet-4-5-20250929';
const GPT = 'gpt-4.1-2025-04-14';

interface Kit {
  faker: Faker;
  rng: () => number;
  /** About `tokens` tokens of prose (≈ 4 characters a token, the fast counter's rule). */
  prose: (tokens: number) => string;
  iso: (offset: string | number) => string;
}

const kitFor = (cause: string, seed: number): Kit => {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const prose = (tokens: number): string => {
    let text = '';
    while (text.length < tokens * 4) text += `${faker.lorem.paragraph(8)}\n\n`;
    return text.slice(0, tokens * 4);
  };
  return { faker, rng: stream(String(seed), `doctor-log:${cause}`), prose, iso: (offset) => new Date(START_MS + parseDuration(offset)).toISOString() };
};

const ephemeral = (ttl?: '1h') => (ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl });

/** Tools whose JSON Schema properties come in the given key order. */
const weatherTools = (order: readonly string[]) => [
  {
    name: 'get_weather',
    description: 'Current weather for a city, in the unit asked for.',
    input_schema: { type: 'object', properties: Object.fromEntries(order.map((k) => [k, { type: 'string', description: `the ${k}` }])), required: ['city'] },
  },
];

/** Anthropic support conversations: stable tools + system behind a breakpoint, turns after it. */
const anthropicConversations = (kit: Kit, system: (ts: string, i: number) => Array<Record<string, unknown>>, options: { requests: number; every: string; sessions: number; tools?: (i: number) => unknown[]; model?: (i: number) => string }): LogLine[] => {
  const lines: LogLine[] = [];
  const histories = new Map<number, Array<{ role: string; content: string }>>();
  const everyMs = parseDuration(options.every);
  for (let i = 0; i < options.requests; i++) {
    const session = uniformInt(kit.rng, 0, options.sessions - 1);
    const history = histories.get(session) ?? [];
    const question = kit.faker.lorem.sentences(3);
    const ts = kit.iso(i * everyMs);
    const messages = [...history, { role: 'user', content: [{ type: 'text', text: question, cache_control: ephemeral() }] }];
    lines.push({
      ts,
      tenant: 'acme',
      session: `s${session}`,
      body: { model: options.model?.(i) ?? SONNET, max_tokens: 400, tools: options.tools?.(i) ?? weatherTools(['city', 'unit']), system: system(ts, i), messages },
    });
    histories.set(session, [...history, { role: 'user', content: question }, { role: 'assistant', content: kit.faker.lorem.sentences(2) }].slice(-8));
  }
  return lines;
};

const shuffled = <T>(items: readonly T[], rng: () => number): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

const chat = (model: string, messages: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({ model, max_tokens: 300, messages, ...extra });

export const generateLog = (cause: Cause, seed = 7): LogLine[] => {
  const kit = kitFor(cause, seed);
  const instructions = kit.prose(6_000);
  switch (cause) {
    case 'clean':
      return anthropicConversations(kit, () => [{ type: 'text', text: instructions, cache_control: ephemeral() }], { requests: 160, every: '15s', sessions: 12 });
    case 'volatile-timestamp':
      return anthropicConversations(
        kit,
        (ts) => [{ type: 'text', text: `You are the Acme support assistant. Current time: ${ts}. Be brief.\n\n${instructions}`, cache_control: ephemeral() }],
        { requests: 120, every: '20s', sessions: 10 },
      );
    case 'tool-key-order': {
      const keys = ['city', 'unit', 'country', 'language'];
      return anthropicConversations(kit, () => [{ type: 'text', text: instructions, cache_control: ephemeral() }], {
        requests: 120,
        every: '20s',
        sessions: 10,
        tools: () => weatherTools(shuffled(keys, kit.rng)),
      });
    }
    case 'embedded-json':
      return anthropicConversations(
        kit,
        () => {
          const settings = Object.fromEntries(shuffled([['plan', 'enterprise'], ['seats', 40], ['region', 'eu-west-1'], ['sso', true]] as const, kit.rng));
          return [{ type: 'text', text: `Account settings: ${JSON.stringify(settings)}\n\n${instructions}`, cache_control: ephemeral() }];
        },
        { requests: 120, every: '20s', sessions: 10 },
      );
    case 'breakpoint-after-volatile':
      return anthropicConversations(
        kit,
        (ts) => [
          { type: 'text', text: instructions },
          { type: 'text', text: `Today is ${ts}. The user is ${kit.faker.person.fullName()} (${kit.faker.location.timeZone()}).`, cache_control: ephemeral() },
        ],
        { requests: 120, every: '20s', sessions: 10 },
      );
    case 'ttl-too-short':
      return Array.from({ length: 72 }, (_, i) => ({
        ts: kit.iso(i * parseDuration('10m')),
        tenant: 'acme',
        session: `report-${i}`,
        body: { model: SONNET, max_tokens: 400, system: [{ type: 'text', text: instructions.repeat(3), cache_control: ephemeral() }], messages: [{ role: 'user', content: kit.faker.lorem.sentence() }] },
      }));
    case 'no-breakpoint':
      return Array.from({ length: 120 }, (_, i) => ({
        ts: kit.iso(i * parseDuration('30s')),
        tenant: 'acme',
        session: `u${i % 9}`,
        body: { model: SONNET, max_tokens: 400, system: instructions, messages: [{ role: 'user', content: kit.faker.lorem.sentences(2) }] },
      }));
    case 'lookback': {
      // Agent sessions: each turn appends 12 tool_use/tool_result exchanges (24 blocks) with a single
      // breakpoint on the last block, so the previous turn's entry is 26 positions back.
      const lines: LogLine[] = [];
      for (let s = 0; s < 4; s++) {
        const messages: Array<Record<string, unknown>> = [{ role: 'user', content: kit.faker.lorem.sentences(2) }];
        for (let turn = 0; turn < 8; turn++) {
          for (let k = 0; k < 12; k++) {
            const id = `toolu_${s}_${turn}_${k}`;
            messages.push({ role: 'assistant', content: [{ type: 'tool_use', id, name: 'search', input: { query: kit.faker.lorem.words(4) } }] });
            messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: kit.prose(60) }] });
          }
          const body = structuredClone({ model: SONNET, max_tokens: 400, system: [{ type: 'text', text: instructions, cache_control: ephemeral() }], messages });
          const lastInBody = body.messages[body.messages.length - 1] as { content: Array<Record<string, unknown>> };
          lastInBody.content[0].cache_control = ephemeral();
          lines.push({ ts: kit.iso(parseDuration(`${s * 7 + turn * 40}s`)), tenant: 'acme', session: `agent-${s}`, body });
        }
      }
      return lines.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    }
    case 'model-change': {
      const customers = Array.from({ length: 12 }, () => kit.prose(3_000));
      const popular = zipf(customers.length, 0.6);
      return Array.from({ length: 240 }, (_, i) => {
        const c = popular(kit.rng);
        return {
          ts: kit.iso(i * parseDuration('15s')),
          tenant: 'acme',
          session: `customer-${c}`,
          body: { model: i < 120 ? SONNET : 'claude-sonnet-4-6', max_tokens: 400, system: [{ type: 'text', text: customers[c], cache_control: ephemeral() }], messages: [{ role: 'user', content: kit.faker.lorem.sentence() }] },
        };
      });
    }
    case 'personalisation':
      return Array.from({ length: 150 }, (_, i) => {
        const user = uniformInt(kit.rng, 0, 40);
        return {
          ts: kit.iso(i * parseDuration('10s')),
          tenant: 'acme',
          session: `user-${user}`,
          body: chat(GPT, [
            { role: 'system', content: `User profile: ${kit.faker.person.fullName()}, prefers ${kit.faker.color.human()} themes, timezone ${kit.faker.location.timeZone()}.` },
            { role: 'system', content: instructions },
            { role: 'user', content: kit.faker.lorem.sentences(2) },
          ]),
        };
      });
    case 'clean-openai':
      return Array.from({ length: 150 }, (_, i) => ({
        ts: kit.iso(i * parseDuration('10s')),
        tenant: 'acme',
        session: `user-${i % 13}`,
        body: chat(GPT, [
          { role: 'system', content: instructions },
          { role: 'user', content: kit.faker.lorem.sentences(2) },
        ]),
      }));
    case 'short-prefix': {
      const short = kit.prose(800);
      return Array.from({ length: 150 }, (_, i) => ({
        ts: kit.iso(i * parseDuration('10s')),
        tenant: 'acme',
        session: `user-${i % 13}`,
        body: chat(GPT, [
          { role: 'system', content: short },
          { role: 'user', content: kit.faker.lorem.sentences(2) },
        ]),
      }));
    }
    case 'key-overflow':
      return Array.from({ length: 300 }, (_, i) => ({
        ts: kit.iso(i * parseDuration('1s')),
        tenant: 'acme',
        session: `user-${i % 50}`,
        body: chat(GPT, [{ role: 'system', content: instructions }, { role: 'user', content: kit.faker.lorem.sentences(2) }], { prompt_cache_key: 'support' }),
      }));
  }
};

export const toNdjson = (lines: LogLine[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

/**
 * The shipped sample (scenarios/examples/logs/support-bot.ndjson): one morning of three teams'
 * traffic, small enough to read (< 200 kB). `support` renders the time into its system prompt,
 * `reports` caches a prefix for 5 minutes that comes back every 10, `docs` moves to a new model.
 */
export const sampleLog = (seed = 15): LogLine[] => {
  const kit = kitFor('sample', seed);
  const support = kit.prose(1_300);
  const reports = kit.prose(1_150);
  const docs = kit.prose(1_100);
  const lines: LogLine[] = [];
  for (let i = 0; i < 14; i++) {
    const ts = kit.iso(`${i * 2}m`);
    lines.push({
      ts,
      tenant: 'support',
      session: `user-${uniformInt(kit.rng, 1, 6)}`,
      body: { model: SONNET, max_tokens: 400, system: [{ type: 'text', text: `You are Acme's support assistant. Current time: ${ts}.\n\n${support}`, cache_control: ephemeral() }], messages: [{ role: 'user', content: kit.faker.lorem.sentence() }] },
    });
  }
  for (let i = 0; i < 10; i++) {
    lines.push({
      ts: kit.iso(`${i * 10 + 1}m`),
      tenant: 'reports',
      session: `job-${i}`,
      body: { model: SONNET, max_tokens: 800, system: [{ type: 'text', text: reports, cache_control: ephemeral() }], messages: [{ role: 'user', content: kit.faker.lorem.sentence() }] },
    });
  }
  for (let i = 0; i < 12; i++) {
    lines.push({
      ts: kit.iso(i * 120_000 + 90_000),
      tenant: 'docs',
      session: `reader-${i % 3}`,
      body: { model: i < 6 ? SONNET : 'claude-sonnet-4-6', max_tokens: 400, system: [{ type: 'text', text: docs, cache_control: ephemeral() }], messages: [{ role: 'user', content: kit.faker.lorem.sentence() }] },
    });
  }
  return lines.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
};
