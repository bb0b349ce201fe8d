import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { PROFILES } from '../../../core/model/index.ts';
import { hashRequestLog } from '../../../simulator/replay/trace-hash.ts';
import type { CliIo } from '../io.ts';
import { onErrorOf, profileOf, REPLAY_DEFAULTS } from './replay.ts';

interface HashFlags {
  out: string;
  profile: string;
  onError: string;
}

export const traceCommand = (io: CliIo): Command =>
  new Command('trace').description('work with traces').addCommand(
    new Command('hash')
      .description('turn a request log into a hashed block trace with no text in it (salted hashes; the salt is never written)')
      .argument('<log>', 'a request log (NDJSON: ts, body, tenant?, session?, class?)')
      .requiredOption('--out <file>', 'the hashed trace to write (NDJSON, the Mooncake format plus block_tokens, breakpoints, model ...)')
      .option('--profile <name>', `whose wire API a body without marks is read as, and its breakpoint limit (default: ${REPLAY_DEFAULTS.profile})`, REPLAY_DEFAULTS.profile)
      .option('--on-error <mode>', 'a bad line: stop (default) or skip it, reporting it on stderr', REPLAY_DEFAULTS.onError)
      .action(async (log: string, flags: HashFlags) => {
        const config = PROFILES[profileOf(flags.profile)];
        const out = resolve(io.cwd, flags.out);
        const count = await hashRequestLog(resolve(io.cwd, log), out, {
          onError: onErrorOf(flags.onError),
          onSkip: (error) => io.err(`skipped: ${error.message}\n`),
          maxBreakpoints: config.caching.maxBreakpoints,
          fallbackApi: config.wire === 'openai' ? 'openai-chat' : 'anthropic-messages',
        });
        io.out(`${relative(io.cwd, out) || out}: ${count.toLocaleString('en-US')} requests, no text\n`);
      }),
  );
