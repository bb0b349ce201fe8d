// The Messages body schema (parse.ts), checked and copied by hand for the plainly valid body: the
// same object zod builds, key for key and in the same order (each schema's own keys in the order
// it declares them, then the body's other keys in the body's order, their values as sent;
// `cache_control` keeps only `type` and `ttl`). zod's walk cost ~60 µs a request in `cachecast
// doctor` (16 % of its time on the bench's log), most of it the first few thousand requests of a
// run, before its code is optimised. Anything this does not recognise as plainly valid (a wrong
// type, a missing field, an undefined value, a `__proto__` key) returns undefined, and zod parses
// the body as before, so errors are zod's. test/core/wire/fast-parse.test.ts holds the two to the
// same output on generated bodies.

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Copies `input`'s keys that `shape` does not declare into `out`, after the declared ones; false when zod might not. */
const copyRest = (input: Obj, out: Obj, shape: ReadonlySet<string>): boolean => {
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined || key === '__proto__') return false;
    if (!shape.has(key)) out[key] = value;
  }
  return true;
};

const NO = Symbol('not plainly valid');
type Checked<T> = T | typeof NO;

const cacheControl = (value: unknown): Checked<Obj | null> => {
  if (value === null) return null;
  if (!isObj(value) || value.type !== 'ephemeral') return NO;
  const ttl = value.ttl;
  if (ttl === undefined) return 'ttl' in value ? NO : { type: 'ephemeral' };
  return ttl === '5m' || ttl === '1h' ? { type: 'ephemeral', ttl } : NO;
};

/** Sets `out.cache_control` as zod's `cacheControl.nullish()` would; false when not plainly valid. */
const withCacheControl = (input: Obj, out: Obj): boolean => {
  if (!('cache_control' in input)) return true;
  const control = cacheControl(input.cache_control);
  if (control === NO) return false;
  out.cache_control = control;
  return true;
};

const BLOCK_KEYS = new Set(['type', 'cache_control']);
const block = (value: unknown): Checked<Obj> => {
  if (!isObj(value) || typeof value.type !== 'string') return NO;
  if (value.type === 'text' && typeof value.text !== 'string') return NO;
  const out: Obj = { type: value.type };
  return withCacheControl(value, out) && copyRest(value, out, BLOCK_KEYS) ? out : NO;
};

const MESSAGE_KEYS = new Set(['role', 'content']);
const message = (value: unknown): Checked<Obj> => {
  if (!isObj(value) || (value.role !== 'user' && value.role !== 'assistant')) return NO;
  const content = value.content;
  const out: Obj = { role: value.role };
  if (typeof content === 'string') out.content = content;
  else if (Array.isArray(content)) {
    const blocks: Obj[] = [];
    for (const b of content) {
      const checked = block(b);
      if (checked === NO) return NO;
      blocks.push(checked);
    }
    out.content = blocks;
  } else return NO;
  return copyRest(value, out, MESSAGE_KEYS) ? out : NO;
};

const SYSTEM_KEYS = new Set(['type', 'text', 'cache_control']);
const systemBlock = (value: unknown): Checked<Obj> => {
  if (!isObj(value) || value.type !== 'text' || typeof value.text !== 'string') return NO;
  const out: Obj = { type: 'text', text: value.text };
  return withCacheControl(value, out) && copyRest(value, out, SYSTEM_KEYS) ? out : NO;
};

const TOOL_KEYS = new Set(['name', 'cache_control']);
const tool = (value: unknown): Checked<Obj> => {
  if (!isObj(value) || typeof value.name !== 'string') return NO;
  const out: Obj = { name: value.name };
  return withCacheControl(value, out) && copyRest(value, out, TOOL_KEYS) ? out : NO;
};

const list = (value: unknown, item: (v: unknown) => Checked<Obj>): Checked<Obj[]> => {
  if (!Array.isArray(value)) return NO;
  const out: Obj[] = [];
  for (const v of value) {
    const checked = item(v);
    if (checked === NO) return NO;
    out.push(checked);
  }
  return out;
};

const REQUEST_KEYS = new Set(['model', 'max_tokens', 'messages', 'system', 'tools', 'stream', 'cache_control']);

/** zod's output for a plainly valid Messages body, or undefined (then parse it with zod). */
export const fastMessagesRequest = (body: unknown): Record<string, unknown> | undefined => {
  if (!isObj(body)) return undefined;
  const { model, max_tokens: maxTokens } = body;
  if (typeof model !== 'string' || model.length === 0 || !Number.isSafeInteger(maxTokens) || (maxTokens as number) < 0) return undefined;
  const messages = list(body.messages, message);
  if (messages === NO || messages.length === 0) return undefined;
  const out: Obj = { model, max_tokens: maxTokens, messages };
  if ('system' in body) {
    const system = typeof body.system === 'string' ? body.system : list(body.system, systemBlock);
    if (system === NO) return undefined;
    out.system = system;
  }
  if ('tools' in body) {
    const tools = list(body.tools, tool);
    if (tools === NO) return undefined;
    out.tools = tools;
  }
  if ('stream' in body) {
    if (typeof body.stream !== 'boolean') return undefined;
    out.stream = body.stream;
  }
  if (!withCacheControl(body, out) || !copyRest(body, out, REQUEST_KEYS)) return undefined;
  return out;
};
