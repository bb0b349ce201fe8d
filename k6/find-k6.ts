// Finds the k6 binary: the --k6 path, or `k6` on PATH. Without one, `cachecast live` stops before
// it starts anything.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { CachecastError } from '../core/errors.ts';
import { K6_INSTALL_URL } from './defaults.ts';

const isExecutable = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const missing = (what: string): CachecastError =>
  new CachecastError(
    'CC_ERR_K6_MISSING',
    `${what}. Install k6 0.48 or later from ${K6_INSTALL_URL} (or pass --k6 <path>). ` +
      '`cachecast run <scenario>` simulates the same scenario without k6.',
  );

export const findK6 = (explicit: string | undefined, cwd: string, pathVariable = process.env.PATH ?? ''): string => {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (!isExecutable(path)) throw missing(`k6 is not installed at ${path} (no executable file there)`);
    return path;
  }
  const names = process.platform === 'win32' ? ['k6.exe', 'k6'] : ['k6'];
  for (const dir of pathVariable.split(delimiter).filter(Boolean)) {
    for (const name of names) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  throw missing('k6 is not installed (no `k6` on PATH)');
};
