// A request row's ledger line written as UTF-8 straight into a byte buffer, the same bytes as
// `toNdjsonLine` (ndjson.ts) and so as JSON.stringify. Building the line as a string cost, per row,
// a template string, a rope of 64 lines to flatten and a UTF-8 encoding of it, and the ropes were
// most of the simulator's garbage with the ledger on: with it on, a run took three times as long
// as with it off. Here a row allocates nothing: ASCII text and digits are stored byte by byte.
// Anything unusual (text outside printable ASCII or needing escapes, a number the digit printers
// do not cover) takes the string path for that field, so every row is still written exactly.

import { MS_LIMIT, USD_LIMIT } from './ndjson.ts';
import type { RequestRow } from './row.ts';

const encoder = new TextEncoder();

/**
 * Bytes to copy into a line, as little-endian 32-bit words and a tail: a DataView stores four
 * bytes in one step, about twice as fast as a byte loop over the 250 bytes of keys in a line.
 */
interface Piece {
  words: Uint32Array;
  tail: Uint8Array;
  length: number;
}

const pieceOf = (bytes: Uint8Array): Piece => {
  const words = new Uint32Array(bytes.length >> 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(4 * i, true);
  return { words, tail: bytes.slice(words.length * 4), length: bytes.length };
};

/** A piece of JSON text: keys and punctuation as written, values as JSON.stringify quotes them. */
const jsonPiece = (...parts: Array<string | { value: string }>): Piece =>
  pieceOf(encoder.encode(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part.value))).join('')));

// The keys and punctuation between the fields, in the ledger's column order (row.ts).
const OPEN = jsonPiece('{"kind":"request","atMs":');
const SESSION = jsonPiece(',"session":');
const INPUT = jsonPiece(',"inputTokens":');
const READ = jsonPiece(',"cacheReadTokens":');
const WRITE = jsonPiece(',"cacheWriteTokens":');
const WRITE_1H = jsonPiece(',"cacheWrite1hTokens":');
const OUTPUT = jsonPiece(',"outputTokens":');
const COST = jsonPiece(',"costUsd":');
const TTFT = jsonPiece(',"ttftMs":');
const LATENCY = jsonPiece(',"latencyMs":');
const RETRY_AFTER = jsonPiece(',"retryAfterMs":');
const ATTEMPT = jsonPiece(',"attempt":');
const CLOSE = jsonPiece('}\n');

/**
 * Pieces for the fields that repeat from row to row (scenario and variant, class and model,
 * affinity), each with the keys around it: one copy instead of four. The last pair asked for is
 * checked first (one pointer comparison per row in a run of one scenario and model), then a map.
 */
interface PairPieces {
  a: string | undefined;
  b: string | undefined;
  last: Piece | undefined;
  byPair: Map<string, Map<string, Piece>>;
  size: number;
  build: (a: string, b: string) => Piece;
}

const MAX_PAIRS = 10_000;

const pairPieces = (build: PairPieces['build']): PairPieces => ({ a: undefined, b: undefined, last: undefined, byPair: new Map(), size: 0, build });

const pieceFor = (pairs: PairPieces, a: string, b: string): Piece => {
  if (a === pairs.a && b === pairs.b) return pairs.last as Piece;
  let inner = pairs.byPair.get(a);
  if (inner === undefined) {
    if (pairs.size >= MAX_PAIRS) {
      pairs.byPair.clear();
      pairs.size = 0;
    }
    inner = new Map();
    pairs.byPair.set(a, inner);
  }
  let piece = inner.get(b);
  if (piece === undefined) {
    piece = pairs.build(a, b);
    inner.set(b, piece);
    pairs.size++;
  }
  pairs.a = a;
  pairs.b = b;
  pairs.last = piece;
  return piece;
};

const SCENARIO_VARIANT = pairPieces((scenario, variant) => jsonPiece(',"scenario":', { value: scenario }, ',"variant":', { value: variant }, ',"tenant":'));
const CLASS_MODEL = pairPieces((cls, model) => jsonPiece(',"class":', { value: cls }, ',"model":', { value: model }, ',"node":'));
const AFFINITY = pairPieces((affinity) => jsonPiece(',"affinity":', { value: affinity }, ',"status":'));

// The DataView of the buffer being written (a writer fills one chunk at a time).
let viewBuf: Uint8Array | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

const put = (buf: Uint8Array, at: number, piece: Piece): number => {
  const words = piece.words;
  let p = at;
  for (let i = 0; i < words.length; i++, p += 4) view.setUint32(p, words[i], true);
  const tail = piece.tail;
  for (let i = 0; i < tail.length; i++) buf[p + i] = tail[i];
  return at + piece.length;
};

const copy = (buf: Uint8Array, at: number, bytes: Uint8Array): number => {
  for (let i = 0; i < bytes.length; i++) buf[at + i] = bytes[i];
  return at + bytes.length;
};

/** Bytes a row's fixed parts and numbers can take, beyond its strings (numbers print in at most 25 characters). */
const FIXED_BYTES = 512;

/** At most this many bytes for a row (6 per UTF-16 unit of text: a `\uXXXX` escape). */
export const maxRowBytes = (row: RequestRow): number =>
  FIXED_BYTES + 6 * (row.scenario.length + row.variant.length + row.tenant.length + row.session.length + row.class.length + row.model.length + row.affinity.length + 14);

/** Text of printable ASCII characters, as bytes (JSON escapes none of them). */
const writeAscii = (buf: Uint8Array, at: number, text: string): number => {
  for (let i = 0; i < text.length; i++) buf[at + i] = text.charCodeAt(i);
  return at + text.length;
};

// JSON strings that need more than their characters (escapes, non-ASCII text), as UTF-8 bytes,
// remembered: a tenant or session with an accent appears on many rows.
const encoded = new Map<string, Uint8Array>();
const MAX_ENCODED = 10_000;

const writeString = (buf: Uint8Array, at: number, text: string): number => {
  buf[at] = 0x22;
  let p = at + 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters, '"' and '\\' are escaped by JSON; anything past ASCII is several bytes.
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return copy(buf, at, quotedBytes(text));
    buf[p++] = c;
  }
  buf[p] = 0x22;
  return p + 1;
};

const quotedBytes = (text: string): Uint8Array => {
  let bytes = encoded.get(text);
  if (bytes === undefined) {
    bytes = encoder.encode(JSON.stringify(text));
    if (encoded.size >= MAX_ENCODED) encoded.clear();
    encoded.set(text, bytes);
  }
  return bytes;
};

/** Digits of a whole number 0 ≤ v < 2^31. */
const writeSmall = (buf: Uint8Array, at: number, v: number): number => {
  let digits = 1;
  for (let x = v; x >= 10; x = (x / 10) | 0) digits++;
  let p = at + digits;
  let x = v;
  do {
    const q = (x / 10) | 0;
    buf[--p] = 0x30 + x - q * 10;
    x = q;
  } while (x > 0);
  return at + digits;
};

const isSmall = (v: number): boolean => v >= 0 && v < 2_147_483_648 && (v | 0) === v;

/** A whole number as JSON prints it: digits for 0 ≤ v < 2^31, the engine's form for anything else. */
const writeInt = (buf: Uint8Array, at: number, v: number): number => (isSmall(v) ? writeSmall(buf, at, v) : writeAscii(buf, at, `${v}`));

/** `x` (0 ≤ x < 10^width) as exactly `width` digits, leading zeros included; with `strip`, trailing zeros left off (x > 0). */
const writePadded = (buf: Uint8Array, at: number, x: number, width: number, strip: boolean): number => {
  for (let i = at + width - 1; i >= at; i--) {
    const q = (x / 10) | 0;
    buf[i] = 0x30 + x - q * 10;
    x = q;
  }
  let end = at + width;
  if (strip) while (buf[end - 1] === 0x30) end--;
  return end;
};

/** Digits of a whole number 0 ≤ v < 2^31 · 10^9: two small integers, the low one nine digits. */
const writeWhole = (buf: Uint8Array, at: number, v: number): number => {
  if (v < 2_147_483_648) return writeSmall(buf, at, v);
  const high = Math.floor(v / 1e9);
  return writePadded(buf, writeSmall(buf, at, high), v - high * 1e9, 9, false);
};

/*
 * A time rounded to the µs or a cost to 10^-10 USD, digit for digit as `fixedDecimals` (ndjson.ts)
 * prints it and for the same reason: v is the double nearest n / 10^decimals, so it prints as the
 * whole part, a point and the fraction's digits with trailing zeros left off. What `fixedDecimals`
 * hands to the engine is handed over here too. Each part is at most nine digits, so int32 arithmetic.
 */

const writeMs = (buf: Uint8Array, at: number, v: number): number => {
  if (isSmall(v)) return writeSmall(buf, at, v);
  if (!(v >= 1e-6 && v < MS_LIMIT)) return writeAscii(buf, at, `${v}`);
  const n = Math.round(v * 1_000);
  if (n / 1_000 !== v) return writeAscii(buf, at, `${v}`);
  const whole = Math.floor(n / 1_000);
  const fraction = n - whole * 1_000;
  let p = writeWhole(buf, at, whole);
  if (fraction === 0) return p;
  buf[p++] = 0x2e;
  return writePadded(buf, p, fraction, 3, true);
};

const writeUsd = (buf: Uint8Array, at: number, v: number): number => {
  if (isSmall(v)) return writeSmall(buf, at, v);
  if (!(v >= 1e-6 && v < USD_LIMIT)) return writeAscii(buf, at, `${v}`);
  const n = Math.round(v * 1e10);
  if (n / 1e10 !== v) return writeAscii(buf, at, `${v}`);
  const whole = Math.floor(n / 1e10);
  const fraction = n - whole * 1e10;
  let p = writeWhole(buf, at, whole);
  if (fraction === 0) return p;
  buf[p++] = 0x2e;
  // Ten decimals as two halves of five.
  const high = Math.floor(fraction / 1e5);
  const low = fraction - high * 1e5;
  if (low === 0) return writePadded(buf, p, high, 5, true);
  return writePadded(buf, writePadded(buf, p, high, 5, false), low, 5, true);
};

/**
 * Writes `row`'s ledger line (with its newline) into `buf` from `at` and returns the offset after
 * it. The caller makes sure `maxRowBytes(row)` bytes are free.
 */
export const encodeRequestRow = (buf: Uint8Array, at: number, row: RequestRow): number => {
  if (buf !== viewBuf) {
    viewBuf = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  let p = put(buf, at, OPEN);
  p = writeMs(buf, p, row.atMs);
  p = put(buf, p, pieceFor(SCENARIO_VARIANT, row.scenario, row.variant));
  p = writeString(buf, p, row.tenant);
  p = put(buf, p, SESSION);
  p = writeString(buf, p, row.session);
  p = put(buf, p, pieceFor(CLASS_MODEL, row.class, row.model));
  p = writeInt(buf, p, row.node);
  p = put(buf, p, pieceFor(AFFINITY, row.affinity, ''));
  p = writeInt(buf, p, row.status);
  p = put(buf, p, INPUT);
  p = writeInt(buf, p, row.inputTokens);
  p = put(buf, p, READ);
  p = writeInt(buf, p, row.cacheReadTokens);
  p = put(buf, p, WRITE);
  p = writeInt(buf, p, row.cacheWriteTokens);
  p = put(buf, p, WRITE_1H);
  p = writeInt(buf, p, row.cacheWrite1hTokens);
  p = put(buf, p, OUTPUT);
  p = writeInt(buf, p, row.outputTokens);
  p = put(buf, p, COST);
  p = writeUsd(buf, p, row.costUsd);
  p = put(buf, p, TTFT);
  p = writeMs(buf, p, row.ttftMs);
  p = put(buf, p, LATENCY);
  p = writeMs(buf, p, row.latencyMs);
  p = put(buf, p, RETRY_AFTER);
  p = writeMs(buf, p, row.retryAfterMs);
  p = put(buf, p, ATTEMPT);
  p = writeInt(buf, p, row.attempt);
  return put(buf, p, CLOSE);
};
