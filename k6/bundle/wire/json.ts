// Reading provider JSON without trusting its shape: a missing or non-numeric usage field counts
// as 0, so a gateway that drops a field under-reports instead of crashing the VU.

export const field = (value: unknown, ...path: string[]): unknown => {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

export const tokens = (value: unknown, ...path: string[]): number => {
  const found = field(value, ...path);
  return typeof found === 'number' && Number.isFinite(found) ? found : 0;
};

export const text = (value: unknown, ...path: string[]): string => {
  const found = field(value, ...path);
  return typeof found === 'string' ? found : '';
};

/**
 * `tokens(value, key)` and `field(value, key)` for one key, without the rest-parameter path walk:
 * in k6's runtime each `tokens(...)` call took ~18 µs, and reading one answer's usage made a dozen.
 */
export const ownField = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined);

export const ownTokens = (value: unknown, key: string): number => {
  const found = ownField(value, key);
  return typeof found === 'number' && Number.isFinite(found) ? found : 0;
};

export const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * JSON.stringify of a request body whose long texts are spliced in unescaped. k6's runtime
 * escapes strings slowly (JSON.stringify of a 48 kB segment took 0.75 ms on k6 v1.3, 1.55 ms on
 * v0.48: most of the bundle's own CPU per request), and segment text needs no escaping at all
 * (segment-text.ts: letters, digits, spaces, brackets and '-'). `build` puts `slot(text)` where
 * each text goes; only segment text may go through a slot.
 */
export const stringifyWithSegmentTexts = (build: (slot: (text: string) => string) => unknown): string => {
  const texts: string[] = [];
  // A NUL-delimited index: JSON.stringify writes NUL as the six characters \u0000.
  const json = JSON.stringify(build((text) => `\u0000cc${texts.push(text) - 1}\u0000`));
  const parts = json.split('\\u0000');
  // Another field holding a NUL (a model name, say) would shift the parts: then escape as usual.
  let spliced = parts.length === 2 * texts.length + 1;
  for (let i = 1; spliced && i < parts.length; i += 2) spliced = parts[i] === `cc${(i - 1) / 2}`;
  if (!spliced) return JSON.stringify(build((text) => text));
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) out += texts[(i - 1) / 2] + parts[i + 1];
  return out;
};

/** The JSON of `build`'s object cut at its slots (n slots, n + 1 parts); undefined when another field holds a NUL. */
const skeletonOf = (build: (slot: (text: string) => string) => unknown): string[] | undefined => {
  let n = 0;
  const raw = JSON.stringify(build(() => `\u0000cc${n++}\u0000`)).split('\\u0000');
  if (raw.length !== 2 * n + 1) return undefined;
  const parts = [raw[0]];
  for (let i = 1; i < raw.length; i += 2) {
    if (raw[i] !== `cc${(i - 1) / 2}`) return undefined;
    parts.push(raw[i + 1]);
  }
  return parts;
};

/** A segment's text and a key that names it (segment-text.ts `segmentKey`): equal keys, equal texts. */
export interface BodySegment {
  key: string;
  text: string;
}

// Per VU (each k6 VU has its own module instance). Skeletons are a few hundred bytes; prefixes hold
// segment text, so they are kept to a few and a budget of characters.
const skeletons = new Map<string, string[] | null>();
const SKELETON_ENTRIES = 256;
const prefixes = new Map<string, string>();
const PREFIX_ENTRIES = 8;
const PREFIX_CHARS = 256 * 1024;
let prefixChars = 0;

const rememberPrefix = (key: string, prefix: string): void => {
  if (prefix.length > PREFIX_CHARS) return;
  prefixes.set(key, prefix);
  prefixChars += prefix.length;
  while (prefixes.size > PREFIX_ENTRIES || prefixChars > PREFIX_CHARS) {
    const oldest = prefixes.keys().next().value as string;
    prefixChars -= (prefixes.get(oldest) as string).length;
    prefixes.delete(oldest);
  }
};

/**
 * `stringifyWithSegmentTexts`, remembering what repeats. `shape` is a string that determines every
 * byte of the body but the segment texts (the wire says what goes in it: model, max_tokens,
 * breakpoints); `segments` are the texts the slots take, in slot order. The JSON skeleton is
 * stringified once per shape, and the body up to its last segment once per (shape, earlier
 * segments): a request then costs one concatenation of that prefix with its last segment and the
 * skeleton's tail. In k6 each concatenation copies the string (66 µs for a 48 kB prompt on v1.3)
 * and JSON.stringify of the small skeleton took 57 µs: splicing as stringifyWithSegmentTexts does
 * took ~160 µs of k6 CPU a request (v1.3, in a loop of 4,000), this ~85 µs.
 */
export const bodyWithSegmentTexts = (shape: string, segments: readonly BodySegment[], build: (slot: (text: string) => string) => unknown): string => {
  let parts = skeletons.get(shape);
  if (parts === undefined) {
    parts = skeletonOf(build) ?? null;
    if (skeletons.size >= SKELETON_ENTRIES) skeletons.delete(skeletons.keys().next().value as string);
    skeletons.set(shape, parts);
  }
  if (parts === null || parts.length !== segments.length + 1) return stringifyWithSegmentTexts(build);
  const last = segments.length - 1;
  if (last < 0) return parts[0];
  let key = shape;
  for (let i = 0; i < last; i++) key += `\u0001${segments[i].key}`;
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = parts[0];
    for (let i = 0; i < last; i++) prefix += segments[i].text + parts[i + 1];
    rememberPrefix(key, prefix);
  }
  // Right to left: the long prefix is copied once.
  return prefix + (segments[last].text + parts[last + 1]);
};
