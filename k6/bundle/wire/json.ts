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
