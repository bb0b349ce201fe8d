import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, spawnCli, tempDir } from './helpers.ts';

const EXAMPLE = join(ROOT, 'scenarios/examples/support-bot.ts');

describe('cachecast check', () => {
  it('passes the worked example as written and writes JUnit XML', async () => {
    const dir = tempDir();
    const result = await runCli(['check', EXAMPLE, '--junit', join(dir, 'junit.xml')]);
    expect(result.error).toBeUndefined();
    expect(result.out).toMatch(/PASS {2}support-bot\/business-hours +hit-rate +0\.9559/);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<testsuites name="cachecast check" tests="2" failures="0">');
  });

  it('fails the gate with exit 1 when the user context moves before the breakpoint', () => {
    const dir = tempDir();
    const moved = readFileSync(EXAMPLE, 'utf8')
      .replaceAll("'../kit/", `'${join(ROOT, 'scenarios/kit/')}`)
      .replace("  segment(`support-bot:user-context:${user}`, 400),\n", '')
      .replace("  segment('support-bot:tools:v12', 3_000),", "  segment(`support-bot:user-context:${user}`, 400),\n  segment('support-bot:tools:v12', 3_000),");
    expect(moved.indexOf('user-context')).toBeLessThan(moved.indexOf("'support-bot:tools:v12'"));
    writeFileSync(join(dir, 'support-bot.ts'), moved);
    // Scenario files are ES modules: a user's repository has "type": "module" (or uses .mts).
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const result = spawnCli(['check', join(dir, 'support-bot.ts'), '--junit', join(dir, 'junit.xml')]);
    expect(result.status).toBe(1);
    // Every prompt is unique from its first tokens: the hit rate falls from 95.6 % to 20.6 %.
    expect(result.stdout).toMatch(/FAIL {2}support-bot\/business-hours +hit-rate +0.2060/);
    expect(result.stdout).toContain('0 passed, 2 failed');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<failure message="measured 0.20599');
  });

  it('asks for a scenario or --all', async () => {
    const result = await runCli(['check']);
    expect(result.error?.code).toBe('CC_ERR_USAGE');
  });
});
