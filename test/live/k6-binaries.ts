// The real k6 binaries the live suite runs against: CACHECAST_K6_BINARIES (paths separated by
// commas or the platform's path delimiter), else the two this project's CI provides beside the
// repository (../shared/tools/k6/README.md). No binary is an error, not a skip: `npm run test:live`
// exists to run real k6.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

const DEFAULTS = ['../shared/tools/k6/v0.48.0/k6', '../shared/tools/k6/v1.3.0/k6'];

export interface K6Binary {
  /** `v0.48.0`, as `k6 version` prints it. */
  version: string;
  path: string;
}

const versionOf = (path: string): string => {
  const out = execFileSync(path, ['version'], { encoding: 'utf8', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
  const match = /k6 (v\d+\.\d+\.\d+)/.exec(out);
  if (match === null) throw new Error(`${path} is not k6: \`k6 version\` printed "${out.trim()}"`);
  return match[1];
};

export const k6Binaries = (): K6Binary[] => {
  const listed = process.env.CACHECAST_K6_BINARIES;
  const paths = listed !== undefined && listed.trim() !== ''
    ? listed.split(new RegExp(`[,${delimiter}]`)).map((p) => p.trim()).filter(Boolean).map((p) => resolve(ROOT, p))
    : DEFAULTS.map((p) => resolve(ROOT, p)).filter((p) => existsSync(p));
  if (paths.length === 0) throw new Error(`no k6 for the live suite: set CACHECAST_K6_BINARIES or provide ${DEFAULTS.join(' and ')} beside the repository`);
  for (const path of paths) if (!existsSync(path)) throw new Error(`CACHECAST_K6_BINARIES names ${path}, which does not exist`);
  return paths.map((path) => ({ version: versionOf(path), path }));
};
