// `cachecast ledger merge`: the ledgers of several mock-provider replicas as one timeline, so
// `report` and `check` read a sharded rehearsal as they read one server's.

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { CachecastError } from '../../../core/errors.ts';
import { mergeLedgers } from '../../../core/ledger/merge.ts';
import { toNdjsonLine } from '../../../core/ledger/ndjson.ts';
import { LedgerOpenError, openLedger } from '../../../core/ledger/writer.ts';
import type { CliIo } from '../io.ts';

const ledgerPathOf = (cwd: string, input: string): string => {
  const path = resolve(cwd, input);
  if (!existsSync(path)) throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${input}: no such file or directory (give ledger .ndjson files or run directories)`);
  const ledger = statSync(path).isDirectory() ? join(path, 'ledger.ndjson') : path;
  if (!existsSync(ledger)) throw new CachecastError('CC_ERR_LEDGER_UNREADABLE', `${input}: a run directory needs a ledger.ndjson`);
  return ledger;
};

const mergeCommand = (io: CliIo): Command =>
  new Command('merge')
    .description(
      'merge ledgers by time, streaming (one row per input in memory): the ledgers of mock-provider\n' +
        'replicas behind a load balancer, started with the same `serve --epoch`, become one ledger\n' +
        'that `report` and `check` read as one server\'s',
    )
    .argument('<ledger-or-run-dir...>', 'ledger .ndjson files or run directories, two or more')
    .option('--out <file>', 'write the merged ledger here (default: standard output)')
    .action(async (inputs: string[], options: { out?: string }) => {
      if (inputs.length < 2) throw new CachecastError('CC_ERR_USAGE', 'ledger merge needs two or more ledgers');
      const paths = inputs.map((input) => ledgerPathOf(io.cwd, input));
      const onTornLastLine = (message: string): void => io.err(`warning: ${message}\n`);
      let rows = 0;
      if (options.out === undefined) {
        // Lines are batched: one write per row would make a large merge spend its time in writes.
        let batch = '';
        for await (const row of mergeLedgers(paths, { onTornLastLine })) {
          batch += toNdjsonLine(row);
          rows++;
          if (batch.length > 1 << 20) {
            io.out(batch);
            batch = '';
          }
        }
        io.out(batch);
      } else {
        let writer;
        try {
          writer = openLedger(resolve(io.cwd, options.out));
        } catch (error) {
          if (error instanceof LedgerOpenError) throw new CachecastError('CC_ERR_USAGE', `--out: ${error.message}`);
          throw error;
        }
        for await (const row of mergeLedgers(paths, { onTornLastLine })) {
          writer.write(row);
          rows++;
          if (rows % 65_536 === 0) await writer.drain();
        }
        await writer.close();
      }
      io.err(`merged ${rows.toLocaleString('en-US')} rows from ${paths.length} ledgers\n`);
    });

export const ledgerCommand = (io: CliIo): Command =>
  new Command('ledger').description('work with ledger files').addCommand(mergeCommand(io));
