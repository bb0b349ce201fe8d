import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../core/ledger/doctor-report.ts';
import { generateLog, toNdjson, type LogLine } from '../simulator/doctor/log-kit.ts';
import { ROOT, runCli, tempDir } from './helpers.ts';

const writeLog = (lines: LogLine[], extra = ''): { dir: string; log: string } => {
  const dir = tempDir();
  const log = join(dir, 'requests.ndjson');
  writeFileSync(log, toNdjson(lines) + extra);
  return { dir, log };
};

/** Every text in the log's bodies, and each tool definition's JSON as sent. */
const promptTexts = (lines: LogLine[]): string[] => {
  const texts = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') texts.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const line of lines) {
    walk(line.body);
    for (const tool of (line.body.tools as unknown[] | undefined) ?? []) texts.add(JSON.stringify(tool));
  }
  return [...texts].filter((t) => t.length > 80);
};

/**
 * A run of 81 characters of some prompt text that also appears in `output`, or '' when none. Any
 * such run contains a 41-character window of the text starting at a multiple of 40, so only those
 * windows are looked up, and each hit is checked at the 41 starts a run through it could have.
 */
const longestLeak = (output: string, texts: string[]): string => {
  const windows = new Set<string>();
  for (let i = 0; i + 41 <= output.length; i++) windows.add(output.slice(i, i + 41));
  for (const text of texts) {
    for (let i = 0; i + 41 <= text.length; i += 40) {
      if (!windows.has(text.slice(i, i + 41))) continue;
      for (let start = Math.max(0, i - 40); start <= i; start++) {
        const run = text.slice(start, start + 81);
        if (run.length === 81 && output.includes(run)) return run;
      }
    }
  }
  return '';
};

/** doctor.html's text as a reader sees it: tags dropped, entities decoded. */
const htmlText = (html: string): string =>
  html.replace(/<[^>]+>/g, '\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** Every string inside the JSON, each on its own. */
const jsonStrings = (json: unknown, out: string[] = []): string[] => {
  if (typeof json === 'string') out.push(json);
  else if (Array.isArray(json)) json.forEach((v) => jsonStrings(v, out));
  else if (json !== null && typeof json === 'object') Object.values(json).forEach((v) => jsonStrings(v, out));
  return out;
};

describe('cachecast doctor', () => {
  it('prints the ranked report, writes doctor.html, doctor.json and the chart, and skips a bad line naming it', async () => {
    const { dir, log } = writeLog(generateLog('volatile-timestamp'), 'not json\n');
    const { out, err, error } = await runCli(['doctor', log]);
    expect(error).toBeUndefined();
    expect(out).toContain('120 requests');
    expect(out).toContain('1 line skipped, first: ');
    expect(out).toContain('requests.ndjson:121: not JSON');
    expect(out).toMatch(/ 1\. +\$\d+\.\d{4} +\d+\.\d % +Volatile content inside the cached prefix \(119 requests/);
    expect(out).toContain('rehearse: cachecast run personalization-prefix');
    expect(err).toContain(join(dir, 'doctor', 'doctor.html'));
    const json = JSON.parse(readFileSync(join(dir, 'doctor', 'doctor.json'), 'utf8')) as DoctorReport;
    expect(json.findings[0].kind).toBe('volatile-prefix');
    const html = readFileSync(join(dir, 'doctor', 'doctor.html'), 'utf8');
    expect(html).toContain('<figure class="chart" id="cost-lost"><svg');
    expect(html).toContain('Current time: 2026-03-02T12:00:20.000Z');
    expect(readFileSync(join(dir, 'doctor', 'cost-lost.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('prints the findings JSON with --json, the profile detected from the body (OpenAI)', async () => {
    const { log } = writeLog(generateLog('personalisation'));
    const { out, error } = await runCli(['doctor', log, '--json']);
    expect(error).toBeUndefined();
    const report = JSON.parse(out) as DoctorReport;
    expect(report.profile).toBe('openai');
    expect(report.findings[0]).toMatchObject({ kind: 'volatile-prefix', requests: 149 });
  });

  it('exits 1 with CC_ERR_DOCTOR_FAIL_OVER when a finding costs more than --fail-over, in dollars or percent', async () => {
    const { log } = writeLog(generateLog('ttl-too-short'));
    const dollars = await runCli(['doctor', log, '--fail-over', '4']);
    expect(dollars.error?.code).toBe('CC_ERR_DOCTOR_FAIL_OVER');
    expect(dollars.error?.exitCode).toBe(1);
    expect(dollars.error?.message).toMatch(/1 finding\(s\) cost more than \$4: TTL economics \$4\.3686/);
    expect((await runCli(['doctor', log, '--fail-over', '$5'])).error).toBeUndefined();
    expect((await runCli(['doctor', log, '--fail-over', '80%'])).error?.code).toBe('CC_ERR_DOCTOR_FAIL_OVER');
    expect((await runCli(['doctor', log, '--fail-over', '95%'])).error).toBeUndefined();
  });

  it('refuses a --fail-over that is neither dollars nor a percentage, and a log with no readable request', async () => {
    const { log } = writeLog(generateLog('clean'));
    const bad = await runCli(['doctor', log, '--fail-over', 'lots']);
    expect(bad.err).toContain('"lots" is neither dollars');
    const empty = writeLog([], 'not json\n');
    const none = await runCli(['doctor', empty.log]);
    expect(none.error?.code).toBe('CC_ERR_DOCTOR_NO_REQUESTS');
    expect(none.error?.message).toContain('requests.ndjson:2: not JSON');
  });

  it('gives the same report with --jobs 2 on a log of several tenants, and says why when it reads on one thread instead', async () => {
    const lines = ['volatile-timestamp', 'ttl-too-short', 'model-change'].flatMap((cause) => generateLog(cause as 'volatile-timestamp').map((line) => ({ ...line, tenant: cause })));
    const { log } = writeLog(lines.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0)));
    const one = await runCli(['doctor', log, '--json']);
    const two = await runCli(['doctor', log, '--json', '--jobs', '2']);
    expect(two.error).toBeUndefined();
    expect(two.out).toBe(one.out);
    expect((JSON.parse(two.out) as DoctorReport).findings.length).toBeGreaterThanOrEqual(3);
    expect(two.err).not.toMatch(/one thread instead/);
    const global = await runCli(['doctor', log, '--json', '--jobs', '2', '--profile', 'lru-blocks']);
    expect(global.err).toMatch(/doctor: --jobs 2 ran on one thread instead: the profile caches across tenants \(scope global\)/);
    expect((await runCli(['doctor', log, '--jobs', '0'])).error?.message).toMatch(/"0" is not a positive whole number/);
  });

  it('says so when a clean log has no finding', async () => {
    const { out, error } = await runCli(['doctor', writeLog(generateLog('clean')).log, '--fail-over', '0']);
    expect(error).toBeUndefined();
    expect(out).toContain('No finding');
  });

  it('never writes more than 80 consecutive characters of any prompt, in the terminal, doctor.json or doctor.html', async () => {
    const lines = [
      ...generateLog('volatile-timestamp').map((l) => ({ ...l, tenant: 'a' })),
      ...generateLog('embedded-json').map((l) => ({ ...l, tenant: 'b' })),
      ...generateLog('breakpoint-after-volatile').map((l) => ({ ...l, tenant: 'c' })),
      ...generateLog('tool-key-order').map((l) => ({ ...l, tenant: 'd' })),
    ].sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : 0));
    const { dir, log } = writeLog(lines);
    const { out, error } = await runCli(['doctor', log, '--top', '50']);
    expect(error).toBeUndefined();
    const texts = promptTexts(lines);
    const report = JSON.parse(readFileSync(join(dir, 'doctor', 'doctor.json'), 'utf8')) as DoctorReport;
    expect(report.findings.filter((f) => f.divergence !== undefined).length).toBeGreaterThanOrEqual(4);
    expect(longestLeak(out, texts)).toBe('');
    expect(longestLeak(jsonStrings(report).join('\u0000'), texts)).toBe('');
    expect(longestLeak(htmlText(readFileSync(join(dir, 'doctor', 'doctor.html'), 'utf8')), texts)).toBe('');
  });

  it('writes hashes instead of excerpts with --redact', async () => {
    const { dir, log } = writeLog(generateLog('volatile-timestamp'));
    const { out, error } = await runCli(['doctor', log, '--redact']);
    expect(error).toBeUndefined();
    expect(out).toMatch(/earlier: sha256:[0-9a-f]{16}/);
    for (const file of ['doctor.json', 'doctor.html']) expect(readFileSync(join(dir, 'doctor', file), 'utf8')).not.toContain('Current time');
    expect(out).not.toContain('Current time');
  });
});

describe('the shipped sample log', () => {
  it('is the seeded sample, under 200 kB, and its printed report is the one in the README', async () => {
    const { sampleLog } = await import('../simulator/doctor/log-kit.ts');
    const shipped = readFileSync(join(ROOT, 'scenarios/examples/logs/support-bot.ndjson'), 'utf8');
    expect(shipped).toBe(toNdjson(sampleLog()));
    expect(Buffer.byteLength(shipped)).toBeLessThan(200_000);
    const { out, error } = await runCli(['doctor', 'scenarios/examples/logs/support-bot.ndjson', '--out', tempDir()]);
    expect(error).toBeUndefined();
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const command = '$ cachecast doctor scenarios/examples/logs/support-bot.ndjson --out runs/doctor\n';
    const start = readme.indexOf(command) + command.length;
    expect(readme.slice(start, readme.indexOf('```', start))).toBe(out);
  });
});
