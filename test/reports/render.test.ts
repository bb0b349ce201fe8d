import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as vl from 'vega-lite';
import { writeReport, type ReportFiles, type ReportJson } from '../../reports/write-report.ts';
import { baselineRows, writeRun } from './fixture.ts';

let files: ReportFiles;
let json: ReportJson;

beforeAll(async () => {
  const base = writeRun(baselineRows('baseline'), { scenario: 'fixture', variant: 'baseline', seed: 's', description: 'A fixture.', startIso: '2026-03-02T12:00:00.000Z', durationMs: 120_000, driver: 'simulator', expectations: [{ name: 'hit-rate', description: 'hit rate', measured: 0.6, bound: '>= 0.5', pass: true }] });
  const fix = writeRun(baselineRows('jitter-fix'));
  files = await writeReport({ inputs: [base, fix], outDir: join(base, 'report'), bucketMs: 60_000 });
  json = JSON.parse(readFileSync(files.jsonPath, 'utf8')) as ReportJson;
});

describe('report charts', () => {
  it('writes six charts, each spec compiling with vega-lite without warnings and valid against its JSON schema', () => {
    expect(json.charts.map((c) => c.id)).toEqual(['cost-over-time', 'hit-rate', 'requests-and-429s', 'ttft', 'session-hit-rates', 'node-load']);
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../node_modules/vega-lite/build/vega-lite-schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true }).compile(schema);
    for (const chart of json.charts) {
      const valid = validate(chart.spec);
      expect(valid ? [] : validate.errors?.slice(0, 3), chart.id).toEqual([]);
      const warnings: string[] = [];
      vl.compile(chart.spec, { logger: { warn: (...m: unknown[]) => warnings.push(m.join(' ')), info: () => undefined, debug: () => undefined, level: () => 0, error: (...m: unknown[]) => warnings.push(m.join(' ')) } as never });
      expect(warnings, chart.id).toEqual([]);
    }
  });

  it('draws one series per variant, named in each overlaid chart\'s legend', () => {
    for (const id of ['hit-rate', 'ttft', 'session-hit-rates']) {
      const svg = readFileSync(files.svgPaths.find((p) => p.endsWith(`${id}.svg`))!, 'utf8');
      expect(svg, id).toContain('>baseline<');
      expect(svg, id).toContain('>jitter-fix<');
    }
    const cost = readFileSync(files.svgPaths[0], 'utf8');
    for (const kind of ['uncached input', 'cache write', 'cache read', 'output']) expect(cost).toContain(`>${kind}<`);
  });

  it('renders each PNG at twice its SVG size, and not blank', () => {
    for (const [i, pngPath] of files.pngPaths.entries()) {
      const svg = readFileSync(files.svgPaths[i], 'utf8');
      const [, w, h] = /<svg[^>]*width="(\d+)"[^>]*height="(\d+)"/.exec(svg) ?? [];
      const png = PNG.sync.read(readFileSync(pngPath));
      expect([png.width, png.height]).toEqual([Number(w) * 2, Number(h) * 2]);
      // Not blank: a good share of pixels differ from the white background.
      let inked = 0;
      for (let p = 0; p < png.data.length; p += 4) if (png.data[p] < 200 || png.data[p + 1] < 200 || png.data[p + 2] < 200) inked++;
      expect(inked / (png.width * png.height), pngPath).toBeGreaterThan(0.01);
    }
  });

  it('puts every figure shown into report.json', () => {
    expect(json.figures.variants).toEqual(['baseline', 'jitter-fix']);
    expect(json.figures.totals.map((t) => t.requests)).toEqual([4, 4]);
    expect(json.descriptions).toEqual([{ scenario: 'fixture', description: 'A fixture.' }]);
    expect(json.expectations[0].results[0].name).toBe('hit-rate');
  });
});
