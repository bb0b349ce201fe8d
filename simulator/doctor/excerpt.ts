// Excerpts: the only text from a log that doctor ever writes. At most MAX_EXCERPT_CHARS characters
// around a difference, starting at the word it falls in (so a timestamp shows whole), with line
// breaks made visible; `--redact` replaces each with a hash, so two equal excerpts still match.

import { createHash } from 'node:crypto';
import { MAX_EXCERPT_CHARS } from '../../core/ledger/doctor-report.ts';

/** Characters that belong to one "word" of a volatile value: ids, timestamps, names, numbers. */
const WORD = /[\p{L}\p{N}_\-:.+/@]/u;
const CONTEXT_BEFORE = 24;

/** Start of the word holding `offset`, looking back at most 40 characters. */
export const wordStart = (text: string, offset: number): number => {
  let i = Math.min(offset, text.length);
  const stop = Math.max(0, i - 40);
  while (i > stop && WORD.test(text[i - 1])) i--;
  return i;
};

const visible = (text: string): string => text.replace(/\r?\n/g, '⏎').replace(/[\t\r\f\v]/g, ' ');

/** Up to 80 characters of `text` from `start`, with … where it was cut. */
export const excerptAt = (text: string, start: number): string => {
  const from = Math.max(0, Math.min(start, text.length));
  const lead = from > 0 ? '…' : '';
  const room = MAX_EXCERPT_CHARS - lead.length;
  const body = visible(text.slice(from, from + room));
  if (from + room >= text.length) return lead + body;
  return `${lead}${body.slice(0, room - 1)}…`;
};

/** The excerpt of each text around their first difference `offset` (equal before it). */
export const excerptPair = (a: string, b: string, offset: number): { before: string; after: string } => {
  const start = Math.max(0, wordStart(b, offset) - CONTEXT_BEFORE);
  return { before: excerptAt(a, start), after: excerptAt(b, start) };
};

export const redactExcerpt = (excerpt: string): string => `sha256:${createHash('sha256').update(excerpt).digest('hex').slice(0, 16)}`;

/** A short label from log text (a key list, a path) cut to 80 characters. */
export const clip = (text: string): string => (text.length <= MAX_EXCERPT_CHARS ? text : `${text.slice(0, MAX_EXCERPT_CHARS - 1)}…`);
