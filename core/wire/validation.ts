// Turns a zod failure into one provider-style message that names the field, e.g.
// `messages.0.content: expected string or array`. For a union that failed, the branch whose type
// matched (its first issue lies deeper than the union) explains the failure better than "no
// branch matched", so its issue is reported instead.

import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

export interface FieldError {
  message: string;
  /** Dotted path of the offending field ('' for the body itself). */
  param: string;
  /** The field is absent: each wire words that its own way (Anthropic "Field required", OpenAI "Missing required parameter"). */
  missing?: boolean;
}

/** The issue to report and its full path (branch issues' paths are relative to the union). */
const explain = (issue: Issue): { issue: Issue; path: PropertyKey[] } => {
  if (issue.code === 'invalid_union') {
    for (const branch of issue.errors) {
      const first = branch[0];
      if (first !== undefined && first.path.length > 0) {
        const inner = explain(first);
        return { issue: inner.issue, path: [...issue.path, ...inner.path] };
      }
    }
  }
  return { issue, path: issue.path };
};

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

// zod words an absent field as a type mismatch ("expected number, received undefined"); the
// providers say the field is required (Anthropic: `max_tokens: Field required`).
const isMissing = (issue: Issue): boolean => issue.code === 'invalid_type' && / received undefined$/.test(issue.message);

export const formatIssue = (issue: Issue): FieldError => {
  const explained = explain(issue);
  const path = explained.path.map(String).join('.');
  if (path !== '' && isMissing(explained.issue)) return { message: `${path}: Field required`, param: path, missing: true };
  const message = lowerFirst(explained.issue.message.replace(/^Invalid input: /, ''));
  return { message: path === '' ? message : `${path}: ${message}`, param: path };
};

export const formatZodError = (error: z.ZodError): FieldError => formatIssue(error.issues[0]);
