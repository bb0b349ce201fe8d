// API keys → organisations. Caches and quotas are isolated per organisation, so the key decides
// whose cache a request reads. A key listed in `apiKeys` maps to its organisation; a key of the
// form `cc-<organisation>` names its organisation directly (so load generators can choose
// tenants without a key file); any other key maps to `org-<hash of the key>`, so real keys pointed
// at the mock by mistake never reach the ledger.

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

export const organisationFor = (key: string, apiKeys: Record<string, string>): string => {
  if (Object.hasOwn(apiKeys, key)) return apiKeys[key];
  if (key.startsWith('cc-') && key.length > 3) return key.slice(3);
  return `org-${hashString(key).toString(16).padStart(14, '0').slice(-8)}`;
};
