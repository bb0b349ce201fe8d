// The wait a 429 advises, on the wall: provider milliseconds divided by the time scale. Sent as
// `retry-after` in whole seconds (the documented header) and as `retry-after-ms`, which both
// official SDKs read first, so a scaled wait of 50 ms is not rounded up to a second.

import type { Clock } from './clock.ts';

export const retryAfterHeaders = (retryAfterProviderMs: number, clock: Clock): Record<string, string> => {
  const wallMs = clock.toWallMs(retryAfterProviderMs);
  return { 'retry-after': String(Math.ceil(wallMs / 1000)), 'retry-after-ms': String(Math.ceil(wallMs)) };
};
