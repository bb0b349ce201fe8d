// Reading and writing state snapshot files for the CLI: a refused snapshot becomes
// CC_ERR_SNAPSHOT_MISMATCH with the model's message, which names the difference.

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CachecastError } from '../../core/errors.ts';
import { readSnapshot, restoreProvider, SnapshotError, type Snapshot, type SnapshotIdentity } from '../../core/model/snapshot.ts';
import type { ProviderState } from '../../core/model/provider.ts';
import { parseScenarioTime } from '../../scenarios/kit/scenario-time.ts';

export const readSnapshotFile = (flag: string, path: string, cwd: string, expected?: SnapshotIdentity): Snapshot => {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(resolve(cwd, path), 'utf8'));
  } catch (error) {
    throw new CachecastError('CC_ERR_USAGE', `${flag} ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checked(flag, path, () => readSnapshot(json, expected));
};

/** Runs `f`, turning a SnapshotError into the CLI's error naming the file. */
export const checked = <T>(flag: string, path: string, f: () => T): T => {
  try {
    return f();
  } catch (error) {
    if (error instanceof SnapshotError) throw new CachecastError('CC_ERR_SNAPSHOT_MISMATCH', `${flag} ${path}: ${error.message}`);
    throw error;
  }
};

export const restoreFromFile = (flag: string, path: string, snapshot: Snapshot): ProviderState => checked(flag, path, () => restoreProvider(snapshot));

export const writeSnapshotFile = (path: string, snapshot: Snapshot): void => writeFileSync(path, `${JSON.stringify(snapshot)}\n`);

/** A `--snapshot-at`/`--window` time, as a CLI error naming the flag when it is not one. */
export const scenarioTimeFlag = (flag: string, text: string, startMs: number): number => {
  try {
    return parseScenarioTime(text, startMs);
  } catch (error) {
    throw new CachecastError('CC_ERR_USAGE', `${flag}: ${(error as Error).message}`);
  }
};
