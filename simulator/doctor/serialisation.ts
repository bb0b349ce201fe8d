// Is a difference only serialisation? The same JSON with its keys in another order, or the same
// text with other whitespace. Canonicalise both (core/wire's canonical JSON) and compare; when
// they agree, name the objects whose keys moved. Anthropic warns that unstable key order breaks
// caches (provider-facts §1.3: "some languages (for example, Swift, Go) randomize key order").

import { canonicalJson } from '../../core/wire/canonical.ts';
import { clip } from './excerpt.ts';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Each object whose keys are the same set in another order: `path: a, b → b, a`. */
export const keyOrderMoves = (a: unknown, b: unknown, path: string, out: string[] = [], limit = 8): string[] => {
  if (out.length >= limit) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) keyOrderMoves(a[i], b[i], `${path}[${i}]`, out, limit);
    return out;
  }
  if (!isObject(a) || !isObject(b)) return out;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.join('\u0000') !== keysB.join('\u0000') && [...keysA].sort().join('\u0000') === [...keysB].sort().join('\u0000')) {
    out.push(clip(`${path || '(top)'}: ${keysA.join(', ')} → ${keysB.join(', ')}`));
  }
  for (const key of keysA) if (key in b) keyOrderMoves(a[key], b[key], path === '' ? key : `${path}.${key}`, out, limit);
  return out;
};

const canonicalOrUndefined = (text: string): string | undefined => {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return undefined;
  }
};

/** End (exclusive) of the balanced `{…}` starting at `from`, strings respected; -1 when unbalanced. */
const balancedEnd = (text: string, from: number, maxChars: number): number => {
  let depth = 0;
  let inString = false;
  const stop = Math.min(text.length, from + maxChars);
  for (let i = from; i < stop; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
};

const MAX_JSON_CHARS = 64 * 1024;
const MAX_OPENERS = 16;

export interface SerialisationMatch {
  fieldsMoved: string[];
  /** Characters after the JSON span (or block) that still have to be compared. */
  endA: number;
  endB: number;
}

/**
 * JSON embedded in text that differs at `offset` (both texts equal before it): the innermost `{`
 * before the offset whose balanced span parses in both texts with the same canonical form.
 */
export const embeddedJsonMatch = (a: string, b: string, offset: number, path: string): SerialisationMatch | undefined => {
  let openers = 0;
  for (let i = offset - 1; i >= 0 && offset - i <= MAX_JSON_CHARS && openers < MAX_OPENERS; i--) {
    if (a[i] !== '{' && a[i] !== '[') continue;
    openers++;
    const endA = balancedEnd(a, i, MAX_JSON_CHARS);
    const endB = balancedEnd(b, i, MAX_JSON_CHARS);
    if (endA < offset || endB < offset) continue;
    const spanA = a.slice(i, endA);
    const spanB = b.slice(i, endB);
    const canonical = canonicalOrUndefined(spanA);
    if (canonical === undefined || canonical !== canonicalOrUndefined(spanB)) return undefined;
    const moves = keyOrderMoves(JSON.parse(spanA), JSON.parse(spanB), `${path} JSON`);
    return { fieldsMoved: moves.length > 0 ? moves : ['whitespace'], endA, endB };
  }
  return undefined;
};

/** Same words, other whitespace. */
export const sameUpToWhitespace = (a: string, b: string): boolean => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
