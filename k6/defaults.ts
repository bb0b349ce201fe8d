// Defaults of `cachecast k6 build` and `cachecast live`, in one object so help texts, the README
// section and the code agree.

import { MOCK_DEFAULTS } from '../mock-provider/options.ts';

export const K6_DEFAULTS = {
  /** build: real time, safe against a real endpoint; scale only for a mock provider behind it. */
  buildTimeScale: 1,
  /** live: one wall second is one provider minute, so an hour-long scenario runs in a minute. */
  liveTimeScale: 60,
  /**
   * live: peak wall requests per second k6 and the mock provider drive together on 2 idle cores.
   * On the CI machine while shared (load 15 to 22) it is far less: ttl-economics at 600× (16 a
   * second) sent every request, affinity-overflow at 60× (100 a second) dropped 13 % of them;
   * pass a lower --max-rps there (a run that drops iterations fails as CC_ERR_LIVE_DEGRADED).
   */
  maxRps: 150,
  /** build: where the script sends when neither --target nor CACHECAST_TARGET says: `cachecast serve`. */
  target: `http://${MOCK_DEFAULTS.host}:${MOCK_DEFAULTS.port}`,
} as const;

export const K6_INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';
