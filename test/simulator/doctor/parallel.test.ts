import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../core/ledger/doctor-report.ts';
import type { ProfileName } from '../../../core/model/profiles/index.ts';
import { PROFILES } from '../../../core/model/profiles/index.ts';
import { writeDoctorReport } from '../../../reports/doctor/write-doctor.ts';
import { formatDoctor } from '../../../bin/cli/format-doctor.ts';
import { diagnoseFileSerial, type DoctorFileOptions } from '../../../simulator/doctor/diagnose-file.ts';
import { diagnoseFileParallel } from '../../../simulator/doctor/parallel.ts';
import type { OnError } from '../../../simulator/replay/request-log.ts';
import { CAUSES, generateLog, sampleLog, toNdjson, type Cause, type LogLine } from './log-kit.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachecast-doctor-jobs-'));
let files = 0;
const writeLog = (text: string): string => {
  const file = join(dir, `log-${files++}.ndjson`);
  writeFileSync(file, text);
  return file;
};

const optionsFor = (profile: ProfileName, onError: OnError = 'skip'): DoctorFileOptions => ({
  doctor: { profile, log: 'requests.ndjson' },
  read: { tokenizer: 'fast', onError, maxBreakpoints: PROFILES[profile].caching.maxBreakpoints, fallbackApi: PROFILES[profile].wire === 'anthropic' ? 'anthropic-messages' : 'openai-chat' },
});

/** The three outputs of a report: its JSON, the terminal text, and doctor.html. */
const outputs = async (report: DoctorReport): Promise<{ json: string; text: string; html: string }> => {
  const out = mkdtempSync(join(dir, 'out-'));
  const written = await writeDoctorReport(report, out);
  return { json: JSON.stringify(report), text: formatDoctor(report, 1_000), html: readFileSync(written.htmlPath, 'utf8') };
};

/** Serial and --jobs n reports of one file, and what the parallel path said when it fell back. */
const both = async (file: string, profile: ProfileName, jobs: number, onError: OnError = 'skip') => {
  const serial = await diagnoseFileSerial(file, optionsFor(profile, onError));
  const fallbacks: string[] = [];
  const parallel = await diagnoseFileParallel(file, { ...optionsFor(profile, onError), jobs, onFallback: (reason) => fallbacks.push(reason) });
  return { serial, parallel, fallbacks };
};

const profileOf = (cause: Cause): ProfileName => (['clean-openai', 'personalisation', 'short-prefix', 'key-overflow'].includes(cause) ? 'openai' : 'anthropic');

/** Each cause's log under its own tenant, interleaved by time (stable: equal times keep cause order). */
const multiTenantLog = (causes: readonly Cause[]): LogLine[] =>
  causes
    .flatMap((cause, c) => generateLog(cause).map((line, i) => ({ line: { ...line, tenant: `${cause}` }, at: Date.parse(line.ts), c, i })))
    .sort((a, b) => a.at - b.at || a.c - b.c || a.i - b.i)
    .map(({ line }) => line);

/** Lines the byte-level tenant reader must not get wrong, and lines the reader refuses. */
const trickyLines = (lines: LogLine[]): string[] => {
  const [a, b, c, d] = lines.slice(0, 4);
  const { tenant: _a, ...bodyFirst } = a;
  return [
    // tenant after body, and a "tenant" key inside the body
    JSON.stringify({ ...bodyFirst, body: { ...a.body, metadata: { tenant: 'inner' } }, tenant: 'late' }),
    // the key spelled with an escape, and duplicate keys (JSON.parse keeps the last)
    JSON.stringify({ ts: b.ts, session: b.session, body: b.body }).replace('{', '{"t\\u0065nant":"escaped",'),
    JSON.stringify({ ts: c.ts, tenant: 'first', session: c.session, body: c.body }).replace(/}$/, ',"tenant":"second"}'),
    // a tenant with an escape in its value, a non-string tenant, not JSON, no body, a blank line, CR breaks
    JSON.stringify({ ts: d.ts, tenant: 'quote"d', session: d.session, body: d.body }),
    JSON.stringify({ ts: d.ts, tenant: 7, body: d.body }),
    '{"ts": "2026-03-02T12:00:00Z", "tenant": "broken", "body": {',
    JSON.stringify({ ts: d.ts, tenant: 'nobody' }),
    '   ',
    `${JSON.stringify({ ts: a.ts, tenant: 'cr', body: a.body })}\r${JSON.stringify({ ts: b.ts, tenant: 'cr', body: { model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } })}`,
  ];
};

describe('doctor --jobs: the same report as one thread', () => {
  it.each(CAUSES.map((cause) => [cause]))('on the %s log (one tenant: one shard has it all)', async (cause) => {
    const file = writeLog(toNdjson(generateLog(cause)));
    const { serial, parallel, fallbacks } = await both(file, profileOf(cause), 3);
    // The one shard with requests is the only one drawing from the random stream: its draws are one thread's.
    expect(fallbacks).toEqual([]);
    expect(await outputs(parallel)).toEqual(await outputs(serial));
    expect(parallel.requests).toBe(generateLog(cause).length);
  });

  it('on a log of every Anthropic cause, each its own tenant, interleaved, with lines the reader refuses', async () => {
    const causes = CAUSES.filter((c) => profileOf(c) === 'anthropic');
    const lines = multiTenantLog(causes);
    const text = [...lines.slice(0, 200).map((l) => JSON.stringify(l)), ...trickyLines(lines), ...lines.slice(200).map((l) => JSON.stringify(l))].join('\n');
    const file = writeLog(`${text}\n`);
    for (const jobs of [2, 4]) {
      const { serial, parallel, fallbacks } = await both(file, 'anthropic', jobs);
      expect(fallbacks).toEqual([]);
      expect(await outputs(parallel)).toEqual(await outputs(serial));
      // The refused lines, by number, in the order they come in the file.
      expect(serial.skipped).toBe(4);
      expect(parallel.skippedExamples.map((m) => m.match(/\.ndjson:(\d+):/)?.[1] ?? m.replace(/^request at \S+ /, '').slice(0, 22))).toEqual(['205', '206', '207', 'the model answered 404']);
      expect(new Set(parallel.findings.flatMap((f) => f.tenants)).size).toBeGreaterThanOrEqual(6);
    }
  });

  it('on the OpenAI causes as tenants of one log, and on the shipped sample', async () => {
    const openai = writeLog(toNdjson(multiTenantLog(CAUSES.filter((c) => profileOf(c) === 'openai'))));
    const sample = writeLog(toNdjson(sampleLog()));
    for (const [file, profile] of [[openai, 'openai'], [sample, 'anthropic']] as const) {
      const { serial, parallel, fallbacks } = await both(file, profile, 2);
      expect(await outputs(parallel)).toEqual(await outputs(serial));
      // The key-overflow tenant's requests overflow to nodes drawn at random; no other tenant draws, so its shard's draws are one thread's.
      expect(fallbacks).toEqual([]);
      expect(parallel.findings.some((f) => f.tenants.includes(profile === 'openai' ? 'key-overflow' : 'support'))).toBe(true);
    }
  });

  it('throws the first refused line under --on-error stop, as one thread does', async () => {
    const lines = multiTenantLog(['volatile-timestamp', 'clean', 'ttl-too-short']);
    const file = writeLog(`${[...lines.slice(0, 50).map((l) => JSON.stringify(l)), JSON.stringify({ ts: 'yesterday', tenant: 'clean', body: {} }), '{oops', ...lines.slice(50).map((l) => JSON.stringify(l))].join('\n')}\n`);
    const serial = await diagnoseFileSerial(file, optionsFor('anthropic', 'stop')).catch((e: Error) => e.message);
    const parallel = await diagnoseFileParallel(file, { ...optionsFor('anthropic', 'stop'), jobs: 3 }).catch((e: Error) => e.message);
    expect(serial).toMatch(/:51: ts: expected epoch milliseconds/);
    expect(parallel).toBe(serial);
  });

  it('falls back to one thread where tenants share state: a global cache scope, more than 256 tenants, draws in two shards', async () => {
    const lines = generateLog('volatile-timestamp').slice(0, 60);
    const manyTenants = writeLog(toNdjson(Array.from({ length: 300 }, (_, i) => ({ ...lines[i % lines.length], tenant: `t${i}` }))));
    const many = await both(manyTenants, 'anthropic', 2);
    expect(many.fallbacks).toEqual(['the log names more than 256 tenants (doctor keeps recent requests for that many)']);
    expect(await outputs(many.parallel)).toEqual(await outputs(many.serial));
    const global = await both(writeLog(toNdjson(lines)), 'lru-blocks', 2);
    expect(global.fallbacks).toEqual(['the profile caches across tenants (scope global)']);
    const overflow = generateLog('key-overflow');
    const twoDrawing = writeLog(toNdjson(overflow.flatMap((line) => [line, { ...line, tenant: 'other' }])));
    const drawn = await both(twoDrawing, 'openai', 2);
    expect(drawn.fallbacks).toEqual(['requests of more than one shard drew from the random stream (one stream shared by tenants)']);
    expect(await outputs(drawn.parallel)).toEqual(await outputs(drawn.serial));
  });
});
