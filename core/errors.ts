// One error catalogue. Every error a user can cause has a stable code, a message that names the
// field or file and the fix, and an exit code. The README's "Errors" table lists the same codes;
// test/cli/errors.test.ts checks the two agree.

export const ERROR_CODES = {
  CC_ERR_USAGE: 'A command-line argument or option is missing or malformed.',
  CC_ERR_SCENARIO_NOT_FOUND: 'The scenario name or file does not exist.',
  CC_ERR_SCENARIO_INVALID: 'The scenario module does not match the scenario format.',
  CC_ERR_VARIANT_UNKNOWN: 'The scenario has no variant of that name.',
  CC_ERR_LEDGER_UNREADABLE: 'A ledger file or run directory cannot be read or parsed.',
  CC_ERR_LEDGER_UNWRITABLE: 'The ledger file cannot be created (`serve --ledger` or `run --out`: a directory, a missing directory, no permission).',
  CC_ERR_TENANT_UNKNOWN: 'No request in the ledgers comes from the tenant given to `cachecast report --tenant`.',
  CC_ERR_K6_MISSING: 'k6 is not installed or not at the given path.',
  CC_ERR_PORT_IN_USE: 'The mock provider could not bind its port.',
  CC_ERR_ADMIN_TOKEN_REQUIRED: 'Binding the mock provider beyond loopback needs --admin-token.',
  CC_ERR_ADMIN_TOKEN_WEAK: 'The --admin-token given is empty or shorter than 16 characters.',
  CC_ERR_TRACE_UNREADABLE: 'A trace or request log cannot be read, or its format is not one `cachecast replay` knows.',
  CC_ERR_TRACE_LINE_INVALID: 'A line of a trace or request log is not valid (the message names the file, the line and the field).',
  CC_ERR_SNAPSHOT_MISMATCH: 'A state snapshot is of another format version, scenario, variant, seed or provider config, or is not a snapshot.',
  CC_ERR_SWEEP_MISMATCH: 'The sweep.json files given to `cachecast sweep merge` are not the shards of one sweep, or a shard is missing.',
  CC_ERR_DOCTOR_NO_REQUESTS: 'The request log given to `cachecast doctor` holds no request it could read (empty, or every line skipped).',
  CC_ERR_DOCTOR_FAIL_OVER: 'A `cachecast doctor` finding costs more than `--fail-over` allows (exit code 1).',
  CC_ERR_EXPECTATION_FAILED: 'A scenario expectation or k6 threshold failed in `cachecast check` or `cachecast live` (exit code 1).',
  CC_ERR_INTERRUPTED: 'A `cachecast run` or `check` was stopped by Ctrl-C or SIGTERM (exit code 130 or 143); the message names the scenario and where it was (import, setup(), build(), simulation).',
  CC_ERR_TIMEOUT: 'A `cachecast run` or `check` took longer than its `--timeout` (exit code 124); the message names the scenario and where it was.',
  CC_ERR_LIVE_DEGRADED: 'A `cachecast live` run did not send its traffic: k6 dropped iterations, or over 1 % of responses were errors the scenario does not ask for (exit code 1).',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error the user caused and can fix: printed without a stack, exit code 2. */
export class CachecastError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, exitCode = 2) {
    super(message);
    this.name = 'CachecastError';
    this.code = code;
    this.exitCode = exitCode;
  }
}
