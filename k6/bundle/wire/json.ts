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
