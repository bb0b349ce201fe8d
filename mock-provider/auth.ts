// API keys → organisations. Caches and quotas are isolated per organisation, so the key decides
// whose cache a request reads. A key listed in `apiKeys` maps to its organisation; a key of the
// form `cc-<organisation>` names its organisation directly (so load generators can choose
// tenants without a key file); any other key maps to `org-<hash of the key>`, so real keys pointed
// at the mock by mistake never reach the ledger.
//
// A `cc-` key may not name an organisation another key maps to: neither one of `apiKeys`'s
// organisations nor the `org-<8 hex digits>` form of a hashed key. Otherwise anyone who saw an
// organisation's name (in /metrics, a ledger, a report) could read its cache (issue 16, item 2).

import type { IncomingHttpHeaders } from 'node:http';
import { hashString } from '../core/model/hash.ts';

export const apiKeyOf = (headers: IncomingHttpHeaders): string | undefined => {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct !== '') return direct;
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)/i.exec(authorization);
    if (match !== null) return match[1];
  }
  return undefined;
};

/** The organisations hashed keys map to; a `cc-` key cannot name one. */
const HASHED_ORGANISATION = /^org-[0-9a-f]{8}$/;

export type KeyResolution =
  | { organisation: string; refused?: undefined; unknown?: undefined }
  | { organisation?: undefined; refused: string; unknown?: boolean };

export interface KeyBook {
  apiKeys: Record<string, string>;
  /** The organisations of `apiKeys`, which only their keys may reach. */
  configured: ReadonlySet<string>;
  /**
   * Only declared keys exist: a key neither in `apiKeys` nor of the `cc-<org>` form is refused
   * with the wire's 401 (`authentication_error` / `invalid_api_key`), so a client's handling of a
   * wrong or revoked key can be rehearsed (issue 13, item 10).
   */
  refuseUnknown: boolean;
}

export const keyBook = (apiKeys: Record<string, string>, refuseUnknown = false): KeyBook => ({
  apiKeys,
  configured: new Set(Object.values(apiKeys)),
  refuseUnknown,
});

/** A key as the providers echo it in a 401: its first 3 and last 4 characters. */
export const redactedKey = (key: string): string => (key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`);

export const organisationFor = (key: string, book: KeyBook): KeyResolution => {
  if (Object.hasOwn(book.apiKeys, key)) return { organisation: book.apiKeys[key] };
  if (key.startsWith('cc-') && key.length > 3) {
    const named = key.slice(3);
    if (book.configured.has(named) || HASHED_ORGANISATION.test(named)) {
      return { refused: `${key}: a cc-<org> key cannot name organisation ${named}, which belongs to other API keys` };
    }
    return { organisation: named };
  }
  if (book.refuseUnknown) return { refused: `invalid API key ${redactedKey(key)}`, unknown: true };
  return { organisation: `org-${hashString(key).toString(16).padStart(14, '0').slice(-8)}` };
};
