// Flag values shared by `k6 build` and `live`, checked once with messages that name the flag.

import { CachecastError } from '../../core/errors.ts';

export const parseTimeScale = (value: string): number => {
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0) throw new CachecastError('CC_ERR_USAGE', `--time-scale must be a positive number (provider ms per wall ms, e.g. 60), got "${value}"`);
  return scale;
};

export const parseTarget = (value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CachecastError('CC_ERR_USAGE', `--target must be an http(s) URL such as http://127.0.0.1:8787, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CachecastError('CC_ERR_USAGE', `--target must use http or https, got "${url.protocol}"`);
  return value.replace(/\/+$/, '');
};
