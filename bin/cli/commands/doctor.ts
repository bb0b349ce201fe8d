import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CachecastError } from '../../../core/errors.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../../core/model/profiles/index.ts';
import { TOKENIZER_KINDS, type TokenizerKind } from '../../../core/wire/tokens.ts';
import { writeDoctorReport } from '../../../reports/doctor/write-doctor.ts';
import { DEFAULT_JOBS, diagnoseFileParallel } from '../../../simulator/doctor/parallel.ts';
import { describeFailOver, findingsOver, parseFailOver, type FailOver } from '../../../simulator/doctor/fail-over.ts';
import { ON_ERROR_MODES, readRequestLog, type OnError } from '../../../simulator/replay/request-log.ts';
import { formatDoctor } from '../format-doctor.ts';
import type { CliIo } from '../io.ts';

export const DOCTOR_DEFAULTS = { tokenizer: 'fast' as TokenizerKind, onError: 'skip' as OnError, top: 10 };

interface DoctorFlags {
  profile?: string;
  json: boolean;
  out?: string;
  failOver?: FailOver;
  redact: boolean;
  tokenizer: TokenizerKind;
  onError: OnError;
  top: number;
  jobs?: number;
}

const failOver = (value: string): FailOver => {
  const parsed = parseFailOver(value);
  if (parsed === undefined) throw new InvalidArgumentError(`"${value}" is neither dollars (e.g. 25 or $25) nor a percentage of prompt spend (e.g. 2%)`);
  return parsed;
};

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return n;
};

const checkedProfile = (name: string): ProfileName => {
  if (!(PROFILE_NAMES as string[]).includes(name)) throw new CachecastError('CC_ERR_USAGE', `--profile: expected one of ${PROFILE_NAMES.join(', ')}, got "${name}"`);
  return name as ProfileName;
};

/** The profile of the log's first readable request's wire API, when --profile is not given. */
const detectProfile = async (file: string): Promise<ProfileName> => {
  for await (const entry of readRequestLog(file, { onError: 'skip' })) return entry.wire === 'anthropic-messages' ? 'anthropic' : 'openai';
  return 'anthropic';
};

export const doctorCommand = (io: CliIo): Command =>
  new Command('doctor')
    .description(
      'find what breaks the prompt cache in a request log (NDJSON {ts, body, tenant?, session?}): volatile\n' +
        'content in the prefix, unstable serialisation, breakpoint placement, prefix length and key rate,\n' +
        'TTL economics, model changes; each ranked by the dollars it cost over the log, with its fix;\n' +
        'writes doctor.html, doctor.json and a chart; only excerpts of at most 80 characters leave the log',
    )
    .argument('<log>', 'request log, NDJSON, one request a line (the format `cachecast replay` reads)')
    .option('--profile <name>', `provider profile: ${PROFILE_NAMES.join(' | ')} (default: from the first request's wire API)`)
    .option('--json', 'print the findings JSON instead of the report', false)
    .option('--out <dir>', 'directory for doctor.html, doctor.json, cost-lost.svg/.png (default: doctor/ beside the log)')
    .option('--fail-over <usd|percent>', 'exit 1 when a finding costs more than this: dollars over the log (25) or a share of prompt spend (2%) (default: never)', failOver)
    .option('--redact', 'replace every excerpt with its hash (default: excerpts of at most 80 characters)', false)
    .addOption(new Option('--tokenizer <kind>', `prompt token counts: fast (4 characters per token) or exact (js-tiktoken) (default: ${DOCTOR_DEFAULTS.tokenizer})`).choices(TOKENIZER_KINDS).default(DOCTOR_DEFAULTS.tokenizer))
    .addOption(new Option('--on-error <mode>', `a line that is not a valid request: skip it (counted in the report) or stop (default: ${DOCTOR_DEFAULTS.onError})`).choices(ON_ERROR_MODES).default(DOCTOR_DEFAULTS.onError))
    .option('--top <n>', `findings printed in the terminal report (default: ${DOCTOR_DEFAULTS.top})`, positiveInt, DOCTOR_DEFAULTS.top)
    .option(
      '--jobs <n>',
      `threads reading the log, its tenants split among them (default: ${DEFAULT_JOBS}); the report is the same as one thread's. ` +
        'A log of one tenant gets no speed-up (its requests all go to one thread); where tenants share state that could ' +
        'change the report (a global cache scope, more than 256 tenants, ...) doctor runs on one thread and says why',
      positiveInt,
    )
    .action(async (log: string, flags: DoctorFlags) => {
      const file = resolve(io.cwd, log);
      const profile = flags.profile === undefined ? await detectProfile(file) : checkedProfile(flags.profile);
      const config = PROFILES[profile];
      const jobs = flags.jobs ?? DEFAULT_JOBS;
      const report = await diagnoseFileParallel(file, {
        jobs,
        doctor: { profile, redact: flags.redact, log },
        read: {
          tokenizer: flags.tokenizer,
          onError: flags.onError,
          maxBreakpoints: config.caching.maxBreakpoints,
          fallbackApi: config.wire === 'anthropic' ? 'anthropic-messages' : 'openai-chat',
        },
        onProgress: (requests) => io.err(`read ${requests.toLocaleString('en-US')} requests\n`),
        onFallback: (reason) => io.err(`doctor: --jobs ${jobs} ran on one thread instead: ${reason}\n`),
      });
      if (report.requests === 0) {
        throw new CachecastError('CC_ERR_DOCTOR_NO_REQUESTS', `${log}: no request could be read${report.skippedExamples.length > 0 ? `; first problem: ${report.skippedExamples[0]}` : ' (the file is empty)'}`);
      }
      const outDir = flags.out === undefined ? join(dirname(file), 'doctor') : resolve(io.cwd, flags.out);
      const files = await writeDoctorReport(report, outDir);
      io.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report, flags.top));
      io.err(`doctor: ${files.htmlPath} (findings: ${files.jsonPath}; chart: ${files.pngPath})\n`);
      if (flags.failOver !== undefined) {
        const over = findingsOver(report, flags.failOver);
        if (over.length > 0) {
          throw new CachecastError(
            'CC_ERR_DOCTOR_FAIL_OVER',
            `${over.length} finding(s) cost more than ${describeFailOver(flags.failOver)}: ${over.slice(0, 5).map((f) => `${f.title} $${f.costUsd.toFixed(4)}`).join(', ')}`,
            1,
          );
        }
      }
    });
