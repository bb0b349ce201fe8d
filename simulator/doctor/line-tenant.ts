// Which shard of `cachecast doctor --jobs` a log line belongs to, from its bytes. Every worker
// reads the whole file and runs this on every line, so it must be cheap (no decode, no parse of a
// 32 kB body) and give every worker the same answer. A line's tenant is read from its bytes only
// when that is certainly what JSON.parse would give; otherwise the line is parsed.
//
// Certain means: no `\u006x`/`\u007x` escape anywhere (one could spell the key "tenant"), the
// object's members before `tenant` all scalars, the tenant value a string without escapes, and no
// second `"tenant"` anywhere after it (JSON.parse keeps the last of duplicate keys). A line that
// reaches `body` or any object or array member first, without a `"tenant"` anywhere after, names no
// tenant. A line that is not a valid request goes to shard 0: whichever shard reads it reports it.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const BRACKET = 0x5b;
const TENANT = Buffer.from('tenant"');
const ESCAPE = Buffer.from('\\u00');

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const skipSpace = (bytes: Buffer, i: number, end: number): number => {
  while (i < end && isSpace(bytes[i])) i++;
  return i;
};

/** The index of the quote closing the string opened at `open`, or -1; `plain` says no backslash was met. */
const stringEnd = (bytes: Buffer, open: number, end: number): { close: number; plain: boolean } => {
  let plain = true;
  for (let i = open + 1; i < end; i++) {
    const b = bytes[i];
    if (b === QUOTE) return { close: i, plain };
    if (b === BACKSLASH) {
      plain = false;
      i++;
    }
  }
  return { close: -1, plain };
};

/**
 * Whether `"tenant"` occurs in `line` from `from` on. Quote by quote (memchr) rather than
 * Buffer#indexOf of the 8 bytes: that search took 25–45 µs on a 32 kB line whose JSON has
 * quotes near its start (node's search gives up its skip table on the many near-misses), 10× this.
 */
const hasTenantKey = (line: Buffer, from: number): boolean => {
  for (let q = line.indexOf(QUOTE, from); q !== -1; q = line.indexOf(QUOTE, q + 1)) {
    if (line[q + 1] === 0x74 && line.compare(TENANT, 0, TENANT.length, q + 1, q + 1 + TENANT.length) === 0) return true;
  }
  return false;
};

/** Whether `line` holds a `\u006x` or `\u007x` escape (one could spell a key's ASCII letters). */
const hasLetterEscape = (line: Buffer): boolean => {
  for (let at = line.indexOf(ESCAPE); at !== -1; at = line.indexOf(ESCAPE, at + 1)) {
    if (line[at + 4] === 0x36 || line[at + 4] === 0x37) return true;
  }
  return false;
};

/** The tenant when no `"tenant"` occurs in `line` from `from` on: none (''); else unknown. */
const noneAfter = (line: Buffer, from: number): string | undefined => (hasTenantKey(line, from) ? undefined : '');

/**
 * The line's top-level `tenant` as JSON.parse would read it ('' for none), or undefined when its
 * bytes alone cannot tell for sure (the caller parses the line).
 */
export const tenantFromBytes = (chunk: Buffer, start: number, end: number): string | undefined => {
  // The line alone: a search of the chunk would run on through the lines after it.
  const bytes = chunk.subarray(start, end);
  end = bytes.length;
  if (hasLetterEscape(bytes)) return undefined;
  let i = skipSpace(bytes, 0, end);
  if (bytes[i] !== OPEN) return undefined;
  i = skipSpace(bytes, i + 1, end);
  while (i < end && bytes[i] === QUOTE) {
    const key = stringEnd(bytes, i, end);
    if (key.close === -1 || !key.plain) return undefined;
    const name = bytes.toString('latin1', i + 1, key.close);
    i = skipSpace(bytes, key.close + 1, end);
    if (bytes[i] !== COLON) return undefined;
    i = skipSpace(bytes, i + 1, end);
    const first = bytes[i];
    if (name === 'tenant') {
      if (first !== QUOTE) return undefined;
      const value = stringEnd(bytes, i, end);
      if (value.close === -1 || !value.plain) return undefined;
      return noneAfter(bytes, value.close + 1) === '' ? bytes.toString('utf8', i + 1, value.close) : undefined;
    }
    if (name === 'body' || first === OPEN || first === BRACKET) return noneAfter(bytes, i);
    if (first === QUOTE) {
      const value = stringEnd(bytes, i, end);
      if (value.close === -1) return undefined;
      i = value.close + 1;
    } else while (i < end && bytes[i] !== COMMA && bytes[i] !== CLOSE) i++;
    i = skipSpace(bytes, i, end);
    if (bytes[i] === CLOSE) return noneAfter(bytes, i);
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1, end);
  }
  return undefined;
};

/** The tenant JSON.parse reads from a line ('' for none), or undefined when the line is not an object with a string tenant. */
export const tenantFromText = (text: string): string | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const tenant = (json as { tenant?: unknown }).tenant;
  return tenant === undefined ? '' : typeof tenant === 'string' ? tenant : undefined;
};

export interface Sharder {
  /** The shard of a line, from its bytes; every worker calling this on every line in order agrees. */
  shardOf: (bytes: Buffer, start: number, end: number) => number;
  /** Distinct tenants named so far. */
  tenants: () => number;
}

/**
 * Tenants go to shards in order of first appearance, each to the shard with the fewest lines so
 * far (ties: the lowest), so shards get similar shares of the lines whatever the tenants' names.
 */
export const createSharder = (shards: number): Sharder => {
  const byTenant = new Map<string, number>();
  const lines = new Array<number>(shards).fill(0);
  const shardOf = (bytes: Buffer, start: number, end: number): number => {
    const tenant = tenantFromBytes(bytes, start, end) ?? tenantFromText(bytes.toString('utf8', start, end));
    let shard = 0;
    if (tenant !== undefined) {
      const known = byTenant.get(tenant);
      if (known === undefined) {
        for (let s = 1; s < shards; s++) if (lines[s] < lines[shard]) shard = s;
        byTenant.set(tenant, shard);
      } else shard = known;
    }
    lines[shard]++;
    return shard;
  };
  return { shardOf, tenants: () => byTenant.size };
};
