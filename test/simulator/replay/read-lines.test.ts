import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CachecastError } from '../../../core/errors.ts';
import { readLineBatches, readLines, type Line } from '../../../simulator/replay/read-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'cc-read-lines-'));
let files = 0;
const fileOf = (content: string | Buffer): string => {
  const path = join(dir, `f${files++}.txt`);
  writeFileSync(path, content);
  return path;
};

const collect = async (file: string): Promise<Line[]> => {
  const lines: Line[] = [];
  for await (const line of readLines(file)) lines.push(line);
  return lines;
};

/** The reader this one replaced (node:readline, crlfDelay Infinity), as the definition of a line. */
const byReadline = async (file: string): Promise<Line[]> => {
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines: Line[] = [];
  let lineNumber = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (text.trim() !== '') lines.push({ lineNumber, text });
  }
  return lines;
};

describe('read-lines', () => {
  it('numbers lines from 1 counting blank ones, and skips the blank ones', async () => {
    const file = fileOf('{"a":1}\n\n  \n{"b":2}\r\n{"c":3}');
    expect(await collect(file)).toEqual([
      { lineNumber: 1, text: '{"a":1}' },
      { lineNumber: 4, text: '{"b":2}' },
      { lineNumber: 5, text: '{"c":3}' },
    ]);
  });

  it('ends a line at a lone carriage return, as readline did', async () => {
    const file = fileOf('a\rb\r\r\nc\r');
    expect(await collect(file)).toEqual([
      { lineNumber: 1, text: 'a' },
      { lineNumber: 2, text: 'b' },
      { lineNumber: 4, text: 'c' },
    ]);
  });

  it('decodes multi-byte characters, and lines longer than its buffer (3 MiB)', async () => {
    const long = `${'é€😀'.repeat(300_000)}x`;
    const file = fileOf(`first é\n${long}\nlast 😀\n`);
    const lines = await collect(file);
    expect(lines.map((l) => [l.lineNumber, l.text.length])).toEqual([
      [1, 7],
      [2, long.length],
      [3, 7],
    ]);
    expect(lines[1].text === long).toBe(true);
  });

  it('hands lines over in batches, one per chunk read, in order', async () => {
    const line = 'z'.repeat(100_000);
    const file = fileOf(`${Array.from({ length: 30 }, () => line).join('\n')}\n`);
    const sizes: number[] = [];
    const numbers: number[] = [];
    for await (const batch of readLineBatches(file)) {
      sizes.push(batch.length);
      numbers.push(...batch.map((l) => l.lineNumber));
    }
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(sizes.length).toBeGreaterThan(1); // 3 MB of lines, read 1 MiB at a time
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('gives the lines and numbers readline gives, on any mix of text and line breaks', async () => {
    const piece = fc.constantFrom('a', 'bc', ' ', 'é', '😀', '\n', '\r', '\r\n', '\n\n', '{"x":1}', '\t');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), async (pieces) => {
        const file = fileOf(pieces.join(''));
        expect(await collect(file)).toEqual(await byReadline(file));
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it('decodes malformed UTF-8 as readline did (replacement characters), line by line', async () => {
    const bytes = fc.constantFrom([0x61], [0x0a], [0x0d], [0xff], [0xe2, 0x82], [0xe2, 0x82, 0xac], [0xf0, 0x9f], [0xc3], [0x80]);
    await fc.assert(
      fc.asyncProperty(fc.array(bytes, { maxLength: 30 }), async (pieces) => {
        const file = fileOf(Buffer.from(pieces.flat()));
        expect(await collect(file)).toEqual(await byReadline(file));
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('fails with CC_ERR_TRACE_UNREADABLE for a missing file or a directory', async () => {
    await expect(collect(join(dir, 'missing.ndjson'))).rejects.toMatchObject({ code: 'CC_ERR_TRACE_UNREADABLE' });
    await expect(collect(dir)).rejects.toBeInstanceOf(CachecastError);
  });
});
