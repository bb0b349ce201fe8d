// Stand-in for `k6`: sleep blocks the VU (a worker thread), as k6's does.
import { host } from '../host.ts';

export const sleep = (seconds: number): void => host().sleep(seconds);
export const check = (value: unknown, checks: Record<string, (v: unknown) => boolean>): boolean => Object.values(checks).every((c) => c(value));
export default { sleep, check };
