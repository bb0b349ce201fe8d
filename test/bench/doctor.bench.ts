// `cachecast doctor` throughput (issue 15 goal: ≥ 20,000 logged requests/s of 8k-token bodies):
// a request log of Anthropic bodies with a ~7,900-token system prompt (a timestamp in it, so every
// request diverges and is compared, excerpted and priced) and a short question, read from disk by
// the request-log reader and analysed. Prints requests/s for the whole path and for the analysis
// alone (records already parsed), the CPU time per request of each (the figure other load on a
// shared machine moves least), the load average, and peak RSS; targets are printed, never asserted.
// Floors, in the same run: JSON.parse of the lines alone, the reader's read + JSON.parse of the
// file, and that plus core/wire's hash of each system text (cyrb53, a serial multiply chain per
// character); doctor's rate is printed as a share of each, a figure that holds on any machine.
// The timestamp in every system prompt is the worst case (every 32 kB text new, hashed and compared);
// the same log with the timestamp moved into the user's message (the system prompt stable, as a
// well-built application sends it) is measured too, for what a typical log reads at.

import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { base, en, Faker } from '@faker-js/faker';
import { hashText, hashTextPair } from '../../core/wire/text-hash.ts';
import { createDoctor, type LogRecord } from '../../simulator/doctor/diagnose.ts';
import { diagnoseFileSerial, type DoctorFileOptions } from '../../simulator/doctor/diagnose-file.ts';
import { diagnoseFileParallel } from '../../simulator/doctor/parallel.ts';
import { readLineBatches } from '../../simulator/replay/read-lines.ts';
import { defaultDescribers, parseRequestLogLine, readRequestLog } from '../../simulator/replay/request-log.ts';

const REQUESTS = 4_000;
const TARGET_PER_SEC = 20_000;

/** Where each request's timestamp goes: into the system prompt (every prefix new) or the user's message. */
type Volatile = 'system' | 'user';

const buildLog = (requests = REQUESTS, from = 0, volatile: Volatile = 'system'): string[] => {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(15);
  let instructions = '';
  while (instructions.length < 7_900 * 4) instructions += `${faker.lorem.paragraph(8)}\n\n`;
  instructions = instructions.slice(0, 7_900 * 4);
  const questions = Array.from({ length: 200 }, () => faker.lorem.sentences(3));
  const start = Date.parse('2026-03-02T12:00:00Z');
  return Array.from({ length: requests }, (_, k) => {
    const i = from + k;
    const ts = new Date(start + i * 250).toISOString();
    const question = questions[i % questions.length];
    const [system, content] = volatile === 'system' ? [`Current time: ${ts}\n\n${instructions}`, question] : [instructions, `Current time: ${ts}. ${question}`];
    return JSON.stringify({
      ts,
      tenant: `org-${i % 7}`,
      session: `s${i % 50}`,
      body: {
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 400,
        system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content }],
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
    // The whole path: read, parse, translate (core/wire), model run and analysis. Twice: the first
    // pass is a fresh process's first 4,000 requests (code not yet optimised, heap and doctor's text
    // pool still growing), the second what a longer log runs at after them. Page faults (memory
    // touched for the first time) are printed: on this VM one costs ~15–30 µs (32 kB written to
    // fresh memory took ~250 µs, to reused memory ~1 µs), and in a fresh process running doctor
    // alone the first 500 requests fault ~29 times each, against 0–2 once the heap has grown.
    const wholePass = async (log = file): Promise<{ rate: number; micros: number; faults: number; findings: number; top: string }> => {
      const cpu = process.cpuUsage();
      const faults = process.resourceUsage().minorPageFault;
      const started = performance.now();
      const doctor = createDoctor({ profile: 'anthropic', log });
      let n = 0;
      for await (const entry of readRequestLog(log, { onError: 'stop' })) {
        doctor.add(entry);
        if (++n % 500 === 0) sample();
      }
      const report = doctor.finish();
      return {
        rate: REQUESTS / ((performance.now() - started) / 1000),
        micros: cpuMicros(cpu) / REQUESTS,
        faults: (process.resourceUsage().minorPageFault - faults) / REQUESTS,
        findings: report.findings.length,
        top: report.findings[0]?.title ?? 'none',
      };
    };
    const cold = await wholePass();
    const warm = await wholePass();
    const whole = cold.rate;
    const cpuPerWhole = cold.micros;
    for (const [name, pass] of [['first pass, fresh process', cold], ['second pass, same process', warm]] as const) {
      console.log(`doctor, file to findings, ${name}: ${REQUESTS.toLocaleString('en-US')} requests (${mb.toFixed(0)} MB, ~7,950 prompt tokens each) = ${Math.round(pass.rate).toLocaleString('en-US')} requests/s (${(pass.rate / TARGET_PER_SEC).toFixed(2)}× the ${TARGET_PER_SEC.toLocaleString('en-US')}/s goal), ${Math.round(pass.micros)} µs CPU/request (one core at that CPU cost: ${Math.round(1e6 / pass.micros).toLocaleString('en-US')}/s), ${pass.faults.toFixed(1)} page faults/request (memory touched for the first time); ${pass.findings} finding(s), top: ${pass.top}`);
    }

    // The same log with the system prompt stable (the timestamp in the user's message): its texts
    // are found in the text memo instead of hashed, and most requests read the cache. Measured after
    // the passes above, so its code is warm; twice, the second with the heap grown to it.
    const stableFile = join(tmpdir(), `cachecast-doctor-stable-bench-${process.pid}.ndjson`);
    writeFileSync(stableFile, `${buildLog(REQUESTS, 0, 'user').join('\n')}\n`);
    try {
      for (const name of ['first', 'second']) {
        const pass = await wholePass(stableFile);
        console.log(
          `doctor, file to findings, system prompt stable (timestamp in the user's message), ${name} pass: ${Math.round(pass.rate).toLocaleString('en-US')} requests/s (${(pass.rate / TARGET_PER_SEC).toFixed(2)}× the goal), ${Math.round(pass.micros)} µs CPU/request; ${pass.findings} finding(s)`,
        );
      }
    } finally {
      rmSync(stableFile, { force: true });
    }

    // --jobs: a log 4× as long (16,000 requests, same 7 tenants) on one thread and on one worker per
    // core, alternated, the workers fresh each time (their start-up, cold code and heap included); CPU
    // is every thread's. The reports must be identical, and are checked.
    const JOBS_REQUESTS = 4 * REQUESTS;
    const bigFile = join(tmpdir(), `cachecast-doctor-jobs-bench-${process.pid}.ndjson`);
    writeFileSync(bigFile, '');
    for (let from = 0; from < JOBS_REQUESTS; from += 1_000) appendFileSync(bigFile, `${buildLog(1_000, from).join('\n')}\n`);
    const jobs = availableParallelism();
    const fileOptions: DoctorFileOptions = {
      doctor: { profile: 'anthropic', log: bigFile },
      read: { tokenizer: 'fast', onError: 'stop', maxBreakpoints: 4, fallbackApi: 'anthropic-messages' },
    };
    const timedRun = async (run: () => Promise<unknown>): Promise<{ rate: number; micros: number; json: string }> => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const report = await run();
      const rate = JOBS_REQUESTS / ((performance.now() - started) / 1000);
      sample();
      return { rate, micros: cpuMicros(cpu) / JOBS_REQUESTS, json: JSON.stringify(report) };
    };
    try {
      for (let round = 1; round <= 2; round++) {
        const serial = await timedRun(() => diagnoseFileSerial(bigFile, fileOptions));
        let fellBack = '';
        const parallel = await timedRun(() => diagnoseFileParallel(bigFile, { ...fileOptions, jobs, onFallback: (reason) => (fellBack = reason) }));
        if (parallel.json !== serial.json) throw new Error('doctor --jobs gave another report than one thread');
        console.log(
          `doctor --jobs ${jobs} against one thread, round ${round} (${JOBS_REQUESTS.toLocaleString('en-US')} requests, 7 tenants): one thread ${Math.round(serial.rate).toLocaleString('en-US')} requests/s (${Math.round(serial.micros)} µs CPU/request), ` +
            `--jobs ${jobs} ${Math.round(parallel.rate).toLocaleString('en-US')} requests/s (${Math.round(parallel.micros)} µs CPU/request, all threads) = ${(parallel.rate / serial.rate).toFixed(2)}× one thread, ` +
            `${(parallel.rate / TARGET_PER_SEC).toFixed(2)}× the goal; reports identical${fellBack === '' ? '' : `; FELL BACK to one thread: ${fellBack}`}; load average ${loadavg()[0].toFixed(2)}`,
        );
      }
    } finally {
      rmSync(bigFile, { force: true });
    }

    // The analysis alone, on records the reader already parsed.
    const describe = defaultDescribers();
    const records: LogRecord[] = lines.map((text, i) => {
      const parsed = parseRequestLogLine(text, i + 1, describe, 4, 'anthropic-messages');
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.entry;
    });
    sample();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const again = createDoctor({ profile: 'anthropic' });
    for (const record of records) again.add(record);
    again.finish();
    const seconds = (performance.now() - started) / 1000;
    const cpuPerRequest = cpuMicros(cpu) / REQUESTS;
    console.log(`doctor, analysis alone (model run, comparisons, excerpts): ${Math.round(REQUESTS / seconds).toLocaleString('en-US')} requests/s, ${Math.round(cpuPerRequest)} µs CPU/request`);
    records.length = 0;

    // Floors: what any reader of this log pays before doctor does anything of its own.
    const floor = async (name: string, pass: () => Promise<number>): Promise<{ rate: number; micros: number }> => {
      const floorCpu = process.cpuUsage();
      const floorStarted = performance.now();
      const check = await pass();
      const rate = REQUESTS / ((performance.now() - floorStarted) / 1000);
      const micros = cpuMicros(floorCpu) / REQUESTS;
      console.log(`floor, ${name}: ${Math.round(rate).toLocaleString('en-US')} requests/s, ${micros.toFixed(1)} µs CPU/request (${(rate / TARGET_PER_SEC).toFixed(2)}× the goal); doctor, file to findings (first pass), runs at ${((100 * whole) / rate).toFixed(1)} % of this rate, and this floor is ${((100 * micros) / cpuPerWhole).toFixed(1)} % of doctor's CPU per request [check ${check}]`);
      return { rate, micros };
    };
    const tsLength = (text: string): number => (JSON.parse(text) as { ts: string }).ts.length;
    const parseOnly = await floor('JSON.parse of each line, in memory', async () => lines.reduce((sum, text) => sum + tsLength(text), 0));
    const readParse = await floor('read the file + JSON.parse of each line', async () => {
      let sum = 0;
      for await (const batch of readLineBatches(file)) for (const line of batch) sum += tsLength(line.text);
      return sum;
    });
    const systemText = (line: string): string => (JSON.parse(line) as { body: { system: Array<{ text: string }> } }).body.system[0].text;
    await floor('read + JSON.parse + hash of the system text (core/wire cyrb53, one text at a time)', async () => {
      let sum = 0;
      for await (const batch of readLineBatches(file)) for (const line of batch) sum += hashText(systemText(line.text)) % 7;
      return sum;
    });
    const readParseHash = await floor('read + JSON.parse + hash of the system texts two lines at a time (as the reader does)', async () => {
      let sum = 0;
      for await (const batch of readLineBatches(file)) {
        for (let k = 0; k + 1 < batch.length; k += 2) {
          const [a, b] = hashTextPair(systemText(batch[k].text), systemText(batch[k + 1].text));
          sum += (a % 7) + (b % 7);
        }
        if (batch.length % 2 === 1) sum += hashText(systemText(batch[batch.length - 1].text)) % 7;
      }
      return sum;
    });
    // The goal is 50 µs a request of wall time; what the floors leave of it on this machine's cores.
    const budget = 1e6 / TARGET_PER_SEC;
    console.log(
      `floors against the goal (${budget} µs a request): JSON.parse alone ${parseOnly.micros.toFixed(1)} µs, with reading ${readParse.micros.toFixed(1)} µs, with core/wire's hash ${readParseHash.micros.toFixed(1)} µs ` +
        `(${(readParseHash.micros / budget).toFixed(1)} cores' worth at the goal before doctor does anything of its own; doctor's first pass uses ${(cpuPerWhole / budget).toFixed(1)}, its second ${(warm.micros / budget).toFixed(1)}, on ${availableParallelism()} cores)`,
    );
    console.log(`peak RSS ${peakMb.toFixed(0)} MB (records for the second pass held in memory); load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${availableParallelism()} cores`);
  } finally {
    rmSync(file, { force: true });
  }
};
