// `cachecast doctor` throughput (issue 15 goal: ≥ 20,000 logged requests/s of 8k-token bodies):
// a request log of Anthropic bodies with a ~7,900-token system prompt (a timestamp in it, so every
// request diverges and is compared, excerpted and priced) and a short question, read from disk by
// the request-log reader and analysed. Prints requests/s for the whole path and for the analysis
// alone (records already parsed), the CPU time per request of each (the figure other load on a
// shared machine moves least), the load average, and peak RSS; targets are printed, never asserted.
// Floors, in the same run: JSON.parse of the lines alone, the reader's read + JSON.parse of the
// file, and that plus core/wire's hash of each system text (cyrb53, a serial multiply chain per
// character); doctor's rate is printed as a share of each, a figure that holds on any machine.

import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { base, en, Faker } from '@faker-js/faker';
import { hashText } from '../../core/wire/text-hash.ts';
import { createDoctor, type LogRecord } from '../../simulator/doctor/diagnose.ts';
import { readLineBatches } from '../../simulator/replay/read-lines.ts';
import { defaultDescribers, parseRequestLogLine, readRequestLog } from '../../simulator/replay/request-log.ts';

const REQUESTS = 4_000;
const TARGET_PER_SEC = 20_000;

const buildLog = (): string[] => {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(15);
  let instructions = '';
  while (instructions.length < 7_900 * 4) instructions += `${faker.lorem.paragraph(8)}\n\n`;
  instructions = instructions.slice(0, 7_900 * 4);
  const questions = Array.from({ length: 200 }, () => faker.lorem.sentences(3));
  const start = Date.parse('2026-03-02T12:00:00Z');
  return Array.from({ length: REQUESTS }, (_, i) => {
    const ts = new Date(start + i * 250).toISOString();
    return JSON.stringify({
      ts,
      tenant: `org-${i % 7}`,
      session: `s${i % 50}`,
      body: {
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 400,
        system: [{ type: 'text', text: `Current time: ${ts}\n\n${instructions}`, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: questions[i % questions.length] }],
      },
    });
  });
};

export const benchDoctor = async (): Promise<void> => {
  const lines = buildLog();
  const file = join(tmpdir(), `cachecast-doctor-bench-${process.pid}.ndjson`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const mb = lines.reduce((sum, l) => sum + l.length + 1, 0) / 2 ** 20;
  let peakMb = 0;
  const sample = () => {
    peakMb = Math.max(peakMb, process.memoryUsage().rss / 2 ** 20);
  };
  try {
    const cpuMicros = (since: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(since);
      return used.user + used.system;
    };
    // The whole path: read, parse, translate (core/wire), model run and analysis.
    let cpu = process.cpuUsage();
    let started = performance.now();
    const doctor = createDoctor({ profile: 'anthropic', log: file });
    let n = 0;
    for await (const entry of readRequestLog(file, { onError: 'stop' })) {
      doctor.add(entry);
      if (++n % 500 === 0) sample();
    }
    const report = doctor.finish();
    let seconds = (performance.now() - started) / 1000;
    let cpuPerRequest = cpuMicros(cpu) / REQUESTS;
    const whole = REQUESTS / seconds;
    const cpuPerWhole = cpuPerRequest;
    console.log(`doctor, file to findings: ${REQUESTS.toLocaleString('en-US')} requests (${mb.toFixed(0)} MB, ~7,950 prompt tokens each) in ${seconds.toFixed(2)} s = ${Math.round(whole).toLocaleString('en-US')} requests/s (${(whole / TARGET_PER_SEC).toFixed(2)}× the ${TARGET_PER_SEC.toLocaleString('en-US')}/s goal), ${Math.round(cpuPerRequest)} µs CPU/request (one core at that CPU cost: ${Math.round(1e6 / cpuPerRequest).toLocaleString('en-US')}/s); ${report.findings.length} finding(s), top: ${report.findings[0]?.title ?? 'none'}`);

    // The analysis alone, on records the reader already parsed.
    const describe = defaultDescribers();
    const records: LogRecord[] = lines.map((text, i) => {
      const parsed = parseRequestLogLine(text, i + 1, describe, 4, 'anthropic-messages');
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.entry;
    });
    sample();
    cpu = process.cpuUsage();
    started = performance.now();
    const again = createDoctor({ profile: 'anthropic' });
    for (const record of records) again.add(record);
    again.finish();
    seconds = (performance.now() - started) / 1000;
    cpuPerRequest = cpuMicros(cpu) / REQUESTS;
    console.log(`doctor, analysis alone (model run, comparisons, excerpts): ${Math.round(REQUESTS / seconds).toLocaleString('en-US')} requests/s, ${Math.round(cpuPerRequest)} µs CPU/request`);
    records.length = 0;

    // Floors: what any reader of this log pays before doctor does anything of its own.
    const floor = async (name: string, pass: () => Promise<number>): Promise<number> => {
      const floorCpu = process.cpuUsage();
      const floorStarted = performance.now();
      const check = await pass();
      const rate = REQUESTS / ((performance.now() - floorStarted) / 1000);
      const micros = cpuMicros(floorCpu) / REQUESTS;
      console.log(`floor, ${name}: ${Math.round(rate).toLocaleString('en-US')} requests/s, ${micros.toFixed(1)} µs CPU/request (${(rate / TARGET_PER_SEC).toFixed(2)}× the goal); doctor, file to findings, runs at ${((100 * whole) / rate).toFixed(1)} % of this rate, and this floor is ${((100 * micros) / cpuPerWhole).toFixed(1)} % of doctor's CPU per request [check ${check}]`);
      return rate;
    };
    const tsLength = (text: string): number => (JSON.parse(text) as { ts: string }).ts.length;
    await floor('JSON.parse of each line, in memory', async () => lines.reduce((sum, text) => sum + tsLength(text), 0));
    await floor('read the file + JSON.parse of each line', async () => {
      let sum = 0;
      for await (const batch of readLineBatches(file)) for (const line of batch) sum += tsLength(line.text);
      return sum;
    });
    await floor('read + JSON.parse + hash of the system text (core/wire cyrb53)', async () => {
      let sum = 0;
      for await (const batch of readLineBatches(file)) {
        for (const line of batch) sum += hashText((JSON.parse(line.text) as { body: { system: Array<{ text: string }> } }).body.system[0].text) % 7;
      }
      return sum;
    });
    console.log(`peak RSS ${peakMb.toFixed(0)} MB (records for the second pass held in memory); load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${availableParallelism()} cores`);
  } finally {
    rmSync(file, { force: true });
  }
};
