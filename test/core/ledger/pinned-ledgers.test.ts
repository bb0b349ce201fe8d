// A speed-up or a refactor changes no figure: the ledgers of three scenarios are pinned by their
// sha256 (the bytes `cachecast run` writes). A commit that changes a figure on purpose (a fidelity
// fix) updates the pin here and says why in its message.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toNdjsonLine } from '../../../core/ledger/ndjson.ts';
import { openLedger } from '../../../core/ledger/writer.ts';
import { baselineVariant } from '../../../scenarios/kit/format.ts';
import { runScenario } from '../../../simulator/run.ts';
import { loadScenario } from '../../../bin/cli/load-scenario.ts';
import { tempDir } from '../../cli/helpers.ts';

const PINS: Record<string, { rows: number; sha256: string }> = {
  stampede: { rows: 105_403, sha256: '44592d9eedd5e5f8a22b7d8805c7854c0267a82ef3e60654ed87bf5666b72824' },
  'eviction-pressure': { rows: 54_120, sha256: '49b718bb8cbd27c88f3102a79d43b803c33f011b9aa03e5c764c39a541397a49' },
  'affinity-overflow': { rows: 6_000, sha256: 'd1436a68a8b895aa50f33193669e36bd31f1f236a3d5a1aa9a194add5fef9219' },
};

describe('pinned ledgers', () => {
  for (const [name, pin] of Object.entries(PINS)) {
    // Both ways a ledger is written: the file `cachecast run` writes (request rows encoded as bytes,
    // encode-row.ts; blocking writes) and the lines as strings.
    it(`${name}'s baseline ledger is byte-identical to its pin`, async () => {
      const scenario = await loadScenario(name, process.cwd());
      const path = join(tempDir(), 'ledger.ndjson');
      const ledger = openLedger(path, { blocking: true });
      const hash = createHash('sha256');
      let rows = 0;
      await runScenario({
        scenario,
        variant: baselineVariant(scenario),
        sink: (row) => {
          rows++;
          hash.update(toNdjsonLine(row));
          ledger.write(row);
        },
        drain: ledger.drain,
      });
      await ledger.close();
      expect({ rows, sha256: hash.digest('hex') }).toEqual(pin);
      expect({ rows: ledger.rows(), sha256: createHash('sha256').update(readFileSync(path)).digest('hex') }).toEqual(pin);
    });
  }
});
