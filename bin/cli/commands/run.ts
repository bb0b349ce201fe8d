import { Command } from 'commander';
import { superviseJob } from '../../../simulator/isolate/supervise.ts';
import type { CliIo } from '../io.ts';
import type { RunOptions } from '../jobs/run-job.ts';
import { parseTimeoutFlag, TIMEOUT_HELP } from '../timeout-flag.ts';

// The work runs in a worker thread (jobs/run-job.ts): this thread only parses flags and
// supervises, so Ctrl-C and --timeout stop even a scenario stuck in a loop, naming where.
const JOB = new URL('../jobs/run-job.ts', import.meta.url);

export const runCommand = (io: CliIo): Command =>
  new Command('run')
    .description('simulate a scenario in virtual time; writes ledger.ndjson and summary.json')
    .argument('<scenario>', 'a built-in scenario name (see `cachecast list`) or a path to a scenario .ts file')
    .option('--variant <name>', 'scenario variant (default: the scenario\'s first, its baseline)')
    .option('--seed <seed>', 'seed for every random draw (default: the scenario\'s own seed)')
    .option('--out <dir>', 'output directory (default: runs/<scenario>-<variant>)')
    .option('--report', 'also write the HTML report (charts, totals) into <dir>/report', false)
    .option('--json', 'print summary.json to stdout instead of the table', false)
    .option(
      '--snapshot-at <time>',
      'stop at this scenario time and write the provider state there (clock time as on the charts, 13:55 or 13:59:30 UTC,\n' +
        'or an offset from the start, 1h55m); the ledger and summary cover the run up to it, and prompts are keyed as the\n' +
        'mock provider keys the k6 bundle\'s text, so the state is warm for live traffic (default: run to the end)',
    )
    .option('--snapshot <file>', 'where --snapshot-at writes the state, for `serve --state` (default: <out>/state.json)')
    .option('--timeout <duration>', TIMEOUT_HELP)
    .action(async (ref: string, options: RunOptions) => {
      const timeoutMs = parseTimeoutFlag(options.timeout);
      await superviseJob(JOB, { ref, options }, { io, announce: { scenario: ref }, timeoutMs, timeoutFlag: `--timeout ${options.timeout}` });
    });
