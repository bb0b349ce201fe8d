import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastMessagesRequest } from '../../../core/wire/anthropic/fast-parse.ts';
import { messagesRequest, parseMessagesRequest } from '../../../core/wire/anthropic/parse.ts';

/** The object as JSON with its key order, so two outputs are equal only key for key in the same order. */
const exactly = (value: unknown): string => JSON.stringify(value);

// Bodies near the schema: valid values, wrong types, nulls, extra keys, keys in any order.
const extra = fc.dictionary(fc.constantFrom('zz', 'metadata', 'id', 'source', 'input', '__proto__'), fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant({ a: 1 })), { maxKeys: 2 });
/** The first value (plainly valid) most of the time, the others (not) now and then. */
const anyOf = <T>(valid: fc.Arbitrary<T>, ...others: fc.Arbitrary<T>[]) => fc.oneof({ arbitrary: valid, weight: 6 * Math.max(1, others.length) }, ...others.map((arbitrary) => ({ arbitrary, weight: 1 })));
const cacheControl = anyOf<unknown>(
  fc.constantFrom({ type: 'ephemeral' }, { ttl: '1h', type: 'ephemeral' }, { type: 'ephemeral', ttl: '5m', junk: 1 }, null),
  fc.constant({ type: 'persistent' }),
  fc.constant({ type: 'ephemeral', ttl: '2h' }),
  fc.constant('ephemeral'),
);
const withOptional = (base: fc.Arbitrary<Record<string, unknown>>, key: string, value: fc.Arbitrary<unknown>) =>
  fc.tuple(base, fc.option(value, { nil: undefined }), fc.boolean()).map(([o, v, first]) => (v === undefined ? o : first ? { [key]: v, ...o } : { ...o, [key]: v }));
const shuffled = (o: fc.Arbitrary<Record<string, unknown>>) => fc.tuple(o, extra, fc.boolean()).map(([a, e, reverse]) => {
  const entries = Object.entries({ ...a, ...e });
  return Object.fromEntries(reverse ? entries.reverse() : entries);
});
const text = fc.string({ maxLength: 12 });
const block = shuffled(
  withOptional(
    anyOf<Record<string, unknown>>(
      fc.oneof(text.map((t) => ({ type: 'text', text: t })), fc.constant({ type: 'image', source: { data: 'x' } }), fc.constant({ type: 'tool_result', tool_use_id: 't1', content: 'ok' })),
      fc.constant({ type: 'text' }),
      fc.constant({ type: 7 }),
    ),
    'cache_control',
    cacheControl,
  ),
);
const message = shuffled(
  fc.record({ role: anyOf<unknown>(fc.constantFrom('user', 'assistant'), fc.constantFrom('system', 3)), content: anyOf<unknown>(fc.oneof(text, fc.array(block, { maxLength: 3 })), fc.constant(null)) }),
);
const systemBlock = shuffled(withOptional(fc.record({ type: anyOf<unknown>(fc.constant('text'), fc.constant('image')), text: anyOf<unknown>(text, fc.constant(5)) }), 'cache_control', cacheControl));
const tool = shuffled(withOptional(fc.record({ name: anyOf<unknown>(text, fc.constant(null)), input_schema: fc.constant({ type: 'object' }) }), 'cache_control', cacheControl));
const body = shuffled(
  [
    ['system', anyOf<unknown>(fc.oneof(text, fc.array(systemBlock, { maxLength: 3 })), fc.constant(null))],
    ['tools', anyOf<unknown>(fc.array(tool, { maxLength: 3 }), fc.constant({}))],
    ['stream', anyOf<unknown>(fc.boolean(), fc.constant('yes'))],
    ['cache_control', cacheControl],
  ].reduce(
    (o, [key, value]) => withOptional(o, key as string, value as fc.Arbitrary<unknown>),
    fc.record({
      model: anyOf<unknown>(fc.constant('claude-sonnet-4-5'), fc.constantFrom('', 4)),
      max_tokens: anyOf<unknown>(fc.constantFrom(0, 400), fc.constantFrom(-1, 1.5, '400', 2 ** 53)),
      messages: fc.array(message, { minLength: 0, maxLength: 3 }),
    }) as fc.Arbitrary<Record<string, unknown>>,
  ),
);

describe('fast Messages parse', () => {
  it('builds what zod builds, key for key and in order, or leaves the body to zod', () => {
    let fast = 0;
    fc.assert(
      fc.property(body, (raw) => {
        // Through JSON, as bodies arrive (a `__proto__` key becomes an own key, as JSON.parse makes it).
        const input = JSON.parse(JSON.stringify(raw));
        const mine = fastMessagesRequest(input);
        const zods = messagesRequest.safeParse(input);
        if (mine === undefined) return;
        fast++;
        expect(zods.success).toBe(true);
        expect(exactly(mine)).toBe(exactly(zods.data));
      }),
      { numRuns: 3_000, seed: 15 },
    );
    expect(fast).toBeGreaterThan(100); // the generator makes plainly valid bodies too, and they take the fast path
  });

  it('takes the fast path for a typical body, keeping values as sent', () => {
    const input = JSON.parse(
      '{"model":"claude-sonnet-4-5","max_tokens":400,"system":[{"type":"text","text":"Rules","cache_control":{"type":"ephemeral","ttl":"1h"}}],"tools":[{"description":"d","name":"lookup","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":[{"text":"hi","type":"text"}]}],"metadata":{"user_id":"u"}}',
    );
    const mine = fastMessagesRequest(input);
    expect(exactly(mine)).toBe(exactly(messagesRequest.parse(input)));
    expect((mine?.tools as Array<Record<string, unknown>>)[0].input_schema).toBe(input.tools[0].input_schema);
    expect(Object.keys((mine?.tools as Array<Record<string, unknown>>)[0])).toEqual(['name', 'description', 'input_schema']);
  });

  it('leaves errors to zod: the same field-naming message as before', () => {
    expect(fastMessagesRequest({ model: 'm', max_tokens: 5, messages: [] })).toBeUndefined();
    // zod drops an own `__proto__` key; the fast path leaves such a body to it.
    expect(fastMessagesRequest(JSON.parse('{"__proto__":{"x":1},"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}]}'))).toBeUndefined();
    expect(fastMessagesRequest({ model: 'm', max_tokens: 5, stream: undefined, messages: [{ role: 'user', content: 'x' }] })).toBeUndefined();
    expect(parseMessagesRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 5 }] })).toEqual({
      ok: false,
      error: { message: 'messages.0.content: expected string or array of content blocks', param: 'messages.0.content' },
    });
    expect(parseMessagesRequest({ model: 'm', max_tokens: 0, stream: true, messages: [{ role: 'user', content: 'x' }] })).toMatchObject({ ok: false, error: { param: 'max_tokens' } });
  });
});
