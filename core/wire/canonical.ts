// A canonical JSON text for hashing prompt content: object keys sorted, so two clients that send
// the same block with keys in a different order hit the same cache entry (as the provider, which
// renders the parsed prompt, would).

const canonicalValue = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value === null || typeof value !== 'object') return value;
  // Without a prototype, a `__proto__` key in a tool's schema is an ordinary key and is hashed.
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = canonicalValue(field);
  }
  return out;
};

export const canonicalJson = (value: unknown): string => JSON.stringify(canonicalValue(value));
