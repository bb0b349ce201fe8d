// `--timeout <duration>` of `run` and `check`: how long the scenario's work may take before it is
// stopped with CC_ERR_TIMEOUT (for CI, where a scenario that loops forever would hold the job).

import { CachecastError } from '../../core/errors.ts';
import { parseDuration } from '../../scenarios/kit/durations.ts';

export const TIMEOUT_HELP = 'stop with CC_ERR_TIMEOUT (exit 124) if the scenarios\' work takes longer than this (30s, 5m, 1h; default: no limit)';

/** Milliseconds, or undefined when the flag is not given. */
export const parseTimeoutFlag = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch {
    throw new CachecastError('CC_ERR_USAGE', `--timeout must be a duration such as 30s, 5m or 1h, got "${value}"`);
  }
  if (!(ms > 0)) throw new CachecastError('CC_ERR_USAGE', `--timeout must be more than 0, got "${value}"`);
  return ms;
};
