import { Command } from 'commander';
import { CachecastError } from '../../../core/errors.ts';
import { superviseJob } from '../../../simulator/isolate/supervise.ts';
import type { CliIo } from '../io.ts';
import type { CheckOptions } from '../jobs/check-job.ts';
import { parseTimeoutFlag, TIMEOUT_HELP } from '../timeout-flag.ts';

// The work runs in a worker thread (jobs/check-job.ts): this thread only parses flags and
// supervises, so Ctrl-C and --timeout stop even a scenario stuck in a loop, naming where.
const JOB = new URL('../jobs/check-job.ts', import.meta.url);

export const checkCommand = (io: CliIo): Command =>
  new Command('check')
    .description(
      'run scenarios\' variants in the simulator and gate on their expectations: prints a pass/fail\n' +
        'table with each measured figure beside its bound, exits 1 when any fails',
    )
    .argument('[scenario...]', 'built-in scenario names or paths to scenario .ts files')
    .option('--all', 'check every built-in scenario', false)
    .option('--variant <name...>', 'only these variants (default: all of each scenario\'s variants)')
    .option('--seed <seed>', 'seed for every run (default: each scenario\'s own seed)')
    .option('--junit <file>', 'also write JUnit XML to this file (for CI test reports)')
    .option('--json', 'print the results as JSON instead of the table', false)
    .option('--timeout <duration>', `${TIMEOUT_HELP}; the limit is for the whole check`)
    .action(async (refs: string[], options: CheckOptions) => {
      if (!options.all && refs.length === 0) throw new CachecastError('CC_ERR_USAGE', 'name at least one scenario, or pass --all');
      const timeoutMs = parseTimeoutFlag(options.timeout);
      const announce = options.all || refs.length === 0 ? undefined : { scenario: refs[0] };
      await superviseJob(JOB, { refs, options }, { io, announce, timeoutMs, timeoutFlag: `--timeout ${options.timeout}` });
    });
