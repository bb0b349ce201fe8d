// `k6 run` for tests, where k6 cannot be installed: parses the flags `cachecast live` passes and
// runs the script with the harness over real HTTP. Exit codes as k6's: 0, or 99 when a threshold
// failed. Writes the flags it received to FAKE_K6_ARGS_FILE when set, so tests can check them.

import { writeFileSync } from 'node:fs';
import { fetchHandler } from './handlers.ts';
import { runK6 } from './runner.ts';

const args = process.argv.slice(2);
if (process.env.FAKE_K6_ARGS_FILE) writeFileSync(process.env.FAKE_K6_ARGS_FILE, JSON.stringify(args));
if (args[0] !== 'run') {
  process.stderr.write('fake k6: only `run` is supported\n');
  process.exit(2);
}
const env: Record<string, string> = {};
let script: string | undefined;
for (let i = 1; i < args.length; i++) {
  const arg = args[i];
  if (arg === '-e' || arg === '--env') {
    const [key, ...value] = args[++i].split('=');
    env[key] = value.join('=');
  } else if (arg === '--address' || arg === '-a') i++;
  else if (arg.startsWith('-')) continue;
  else script = arg;
}
if (script === undefined) {
  process.stderr.write('fake k6: no script\n');
  process.exit(2);
}
const result = await runK6({ scriptPath: script, env, handler: fetchHandler(), maxVus: 32, stdout: (text) => process.stdout.write(text) });
for (const error of result.errors) process.stderr.write(`fake k6: iteration error: ${error}\n`);
process.exitCode = result.exitCode;
