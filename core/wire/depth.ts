// How deeply a request body may nest. Canonical JSON (canonical.ts) and the schema checks walk a
// body recursively, and ~2,200 levels of nesting in a tool schema, a block or a message blew the
// stack: a 500 with `x-should-retry: true`, so SDKs sent it again (issue 16, item 4). A body nested
// deeper than MAX_JSON_DEPTH is refused with a 400 naming where it went too deep. Real tool schemas
// and messages nest a few dozen levels at most; the providers publish no limit, so this one is
// the mock provider's own (README, "Reliability").

export const MAX_JSON_DEPTH = 128;

interface Frame {
  value: unknown;
  depth: number;
  key: string;
  parent: Frame | undefined;
}

const pathOf = (frame: Frame): string => {
  const keys: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) keys.push(f.key);
  return keys.reverse().join('.');
};

/**
 * `value` (an object at `depth`) nests no deeper than `limit`: the common answer, found without
 * allocating (the walk below makes a frame per object and an array of keys per object, ~1 µs for
 * a plain request). Recursion stops at `limit`, so it is at most `limit` frames deep. `for…in`
 * visits every own enumerable key (and inherited ones, which only make it answer no more often),
 * so it never says yes where the walk below finds a place too deep.
 */
const fits = (value: object, depth: number, limit: number): boolean => {
  if (depth > limit) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (child !== null && typeof child === 'object' && !fits(child, depth + 1, limit)) return false;
    }
    return true;
  }
  for (const key in value) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && !fits(child, depth + 1, limit)) return false;
  }
  return true;
};

/**
 * Where `value` first nests deeper than `limit` levels (a dotted path, '' for the top), or
 * undefined when it does not. The path is found by an iterative walk, so the check itself cannot
 * overflow the stack.
 */
export const tooDeepAt = (value: unknown, limit = MAX_JSON_DEPTH): string | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  if (fits(value, 1, limit)) return undefined;
  const stack: Frame[] = [{ value, depth: 1, key: '', parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.depth > limit) return pathOf(frame);
    const current = frame.value as Record<string, unknown> | unknown[];
    const keys = Array.isArray(current) ? current.keys() : Object.keys(current);
    for (const key of keys) {
      const child = (current as Record<string, unknown>)[key as string];
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: frame.depth + 1, key: String(key), parent: frame });
    }
  }
  return undefined;
};

export const tooDeepMessage = (path: string, limit = MAX_JSON_DEPTH): string =>
  `${path === '' ? 'body' : path}: JSON nested deeper than ${limit} levels (the mock provider's limit)`;
