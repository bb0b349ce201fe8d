// The admin token: who may change the provider, read the whole ledger and scrape /metrics. A token
// shorter than MIN_ADMIN_TOKEN_CHARS is refused when the app is built (an empty one let every
// client in, issue 16 item 5), and tokens are compared in constant time: both sides are hashed
// to 32 bytes first, so neither the length nor the first differing byte shows in the timing.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const MIN_ADMIN_TOKEN_CHARS = 16;

/** Why a token cannot be used, or undefined when it can. */
export const weakAdminToken = (token: string): string | undefined =>
  token.length < MIN_ADMIN_TOKEN_CHARS
    ? `the admin token must be at least ${MIN_ADMIN_TOKEN_CHARS} characters (got ${token.length}); generate one with \`openssl rand -hex 16\``
    : undefined;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const presented = (headers: IncomingHttpHeaders): string | undefined => {
  const direct = headers['x-admin-token'];
  if (typeof direct === 'string') return direct;
  const match = headers.authorization === undefined ? null : /^Bearer\s+(\S+)/i.exec(headers.authorization);
  return match === null ? undefined : match[1];
};

/** Whether the request may use admin routes: no token is set, or it presents the token. */
export const adminAllowed = (expected: string | undefined, headers: IncomingHttpHeaders): boolean => {
  if (expected === undefined) return true;
  const given = presented(headers);
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
};
