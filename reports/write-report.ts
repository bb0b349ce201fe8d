// writeReport: ledgers (or run directories) in, charts (SVG + PNG), report.html and report.json
// out. Two streaming passes per ledger at most (the first only when the span is unknown), so
// memory is bounded by buckets and sessions, not rows.

import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CachecastError } from '../core/errors.ts';
import type { ExpectationResult } from '../core/ledger/run-summary.ts';
import { createVariantAccumulator, type VariantAccumulator } from './aggregate/accumulate.ts';
import { assertBucketCount, defaultBucketMs } from './aggregate/bucket-size.ts';
import { buildFigures, type Figures } from './aggregate/figures.ts';
import { CHARTS, type ChartSpec } from './charts/index.ts';
import { renderPage } from './html/page.ts';
import { readLedger, type ReportInput, resolveInput } from './read/inputs.ts';
import { renderPng } from './render/png.ts';
import { renderSvg } from './render/svg.ts';

export interface ReportOptions {
  /** Ledger files or run directories; the first is the baseline of every ratio. */
  inputs: string[];
  outDir: string;
  /** Bucket width, ms; chosen from the longest run's span when absent. */
  bucketMs?: number;
  title?: string;
  /** Chart only these tenants' requests (provider events and phases are kept); all when absent. */
  tenants?: string[];
  onProgress?: (rowsRead: number) => void;
  /** Told what was skipped while reading (a torn last line). */
  onWarning?: (message: string) => void;
}


export interface ReportFiles {
  htmlPath: string;
  jsonPath: string;
  pngPaths: string[];
  svgPaths: string[];
}

export interface ReportJson {
  title: string;
  inputs: string[];
  descriptions: Array<{ scenario: string; description: string }>;
  expectations: Array<{ variant: string; results: ExpectationResult[] }>;
  charts: Array<{ id: string; title: string; spec: ChartSpec['spec'] }>;
  figures: Figures;
}

interface Span {
  startMs: number;
  spanMs: number;
}

const spanOf = async (input: ReportInput): Promise<Span> => {
  if (input.summary?.startIso !== undefined && input.summary.durationMs > 0) {
    return { startMs: Date.parse(input.summary.startIso), spanMs: input.summary.durationMs };
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  await readLedger(input.ledgerPath, (row) => {
    min = Math.min(min, row.atMs);
    max = Math.max(max, row.atMs);
  });
  return Number.isFinite(min) ? { startMs: min, spanMs: Math.max(1, max - min) } : { startMs: 0, spanMs: 1 };
};

/** Two inputs with the same variant name (two seeds, two drivers) get told apart. */
const disambiguate = (entries: Array<{ acc: VariantAccumulator; input: ReportInput }>): void => {
  const counts = new Map<string, number>();
  for (const { acc } of entries) counts.set(acc.label, (counts.get(acc.label) ?? 0) + 1);
  for (const { acc, input } of entries) {
    if ((counts.get(acc.label) ?? 0) < 2) continue;
    const seed = input.summary?.seed;
    const driver = input.summary?.driver;
    const name = basename(input.ledgerPath) === 'ledger.ndjson' ? basename(dirname(resolve(input.ledgerPath))) : basename(input.ledgerPath);
    acc.label = `${acc.label} (${seed !== undefined ? `seed ${seed}${driver === 'live' ? ', live' : ''}` : name})`;
  }
  const seen = new Map<string, number>();
  for (const { acc } of entries) {
    const n = (seen.get(acc.label) ?? 0) + 1;
    seen.set(acc.label, n);
    if (n > 1) acc.label = `${acc.label} #${n}`;
  }
};

export const writeReport = async (options: ReportOptions): Promise<ReportFiles> => {
  const inputs = options.inputs.map(resolveInput);
  const spans = await Promise.all(inputs.map(spanOf));
  const longestSpanMs = spans.reduce((max, s) => Math.max(max, s.spanMs), 0);
  const bucketMs = options.bucketMs ?? defaultBucketMs(longestSpanMs);
  if (options.bucketMs !== undefined) assertBucketCount(longestSpanMs, bucketMs);
  const entries: Array<{ acc: VariantAccumulator; input: ReportInput }> = [];
  let rowsRead = 0;
  const wanted = options.tenants === undefined ? undefined : new Set(options.tenants);
  // Every tenant seen, so that a filter matching nothing can say which tenants there are.
  const seenTenants = new Set<string>();
  let kept = 0;
  for (const [i, input] of inputs.entries()) {
    const byVariant = new Map<string, VariantAccumulator>();
    await readLedger(input.ledgerPath, (row) => {
      if (++rowsRead % 100_000 === 0) options.onProgress?.(rowsRead);
      if (wanted !== undefined && row.kind === 'request') {
        if (seenTenants.size < 1_000) seenTenants.add(row.tenant);
        if (!wanted.has(row.tenant)) return;
        kept++;
      }
      let acc = byVariant.get(row.variant);
      if (acc === undefined) {
        acc = createVariantAccumulator(row.variant, spans[i].startMs, bucketMs);
        byVariant.set(row.variant, acc);
        entries.push({ acc, input });
      }
      acc.add(row);
    }, { onTornLastLine: options.onWarning });
  }
  if (wanted !== undefined && kept === 0) {
    const known = [...seenTenants].sort();
    throw new CachecastError(
      'CC_ERR_TENANT_UNKNOWN',
      `no request from tenant ${[...wanted].map((t) => `"${t}"`).join(', ')} in the ledgers; their tenants are: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`,
    );
  }
  disambiguate(entries);
  const accumulators = entries.map((e) => e.acc);
  const figures = buildFigures(accumulators, bucketMs);

  const descriptions = [...new Map(inputs.filter((i) => i.summary).map((i) => [i.summary!.scenario, i.summary!.description])).entries()].map(
    ([scenario, description]) => ({ scenario, description }),
  );
  const expectations = entries
    .filter((e) => e.input.summary !== undefined)
    .map((e) => ({ variant: e.acc.label, results: e.input.summary?.expectations ?? [] }));
  const scenarios = [...new Set(accumulators.map((a) => a.scenario))].filter(Boolean);
  const tenantNote = options.tenants === undefined ? '' : ` (tenant${options.tenants.length > 1 ? 's' : ''} ${options.tenants.join(', ')})`;
  const title = options.title ?? `cachecast report: ${scenarios.join(', ') || 'ledger'}${tenantNote}`;

  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const charts = CHARTS.map((make) => make(figures));
  const rendered: Array<{ id: string; title: string; svg: string }> = [];
  const files: ReportFiles = { htmlPath: join(outDir, 'report.html'), jsonPath: join(outDir, 'report.json'), pngPaths: [], svgPaths: [] };
  for (const chart of charts) {
    const svg = await renderSvg(chart.spec);
    const svgPath = join(outDir, `${chart.id}.svg`);
    const pngPath = join(outDir, `${chart.id}.png`);
    writeFileSync(svgPath, svg);
    writeFileSync(pngPath, renderPng(svg).data);
    files.svgPaths.push(svgPath);
    files.pngPaths.push(pngPath);
    rendered.push({ id: chart.id, title: chart.title, svg });
  }
  const inputNames = inputs.map((i) => i.source);
  writeFileSync(files.htmlPath, renderPage({ title, descriptions, expectations, figures, charts: rendered, inputs: inputNames }));
  const json: ReportJson = { title, inputs: inputNames, descriptions, expectations, charts: charts.map((c) => ({ id: c.id, title: c.title, spec: c.spec })), figures };
  writeFileSync(files.jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  return files;
};
