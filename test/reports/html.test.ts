import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../reports/write-report.ts';
import { baselineRows, writeRun } from './fixture.ts';
import { inOfflinePage } from './offline-page.ts';

describe('report.html', () => {
  it('opens offline in headless Chromium without console errors and shows every chart and the totals', async () => {
    const base = writeRun(baselineRows('baseline'), { scenario: 'fixture', variant: 'baseline', seed: 's', description: 'A fixture scenario.', startIso: '2026-03-02T12:00:00.000Z', durationMs: 120_000, driver: 'simulator', expectations: [{ name: 'writes', description: 'cache writes', measured: 1, bound: '<= 1', pass: true }] });
    const files = await writeReport({ inputs: [base, writeRun(baselineRows('fix'))], outDir: join(base, 'report') });
    const problems = await inOfflinePage(files.htmlPath, async (page) => {
      const charts = await page.$$eval('figure.chart', (figs) =>
        figs.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return { id: f.id, width: Math.round(box?.width ?? 0), height: Math.round(box?.height ?? 0) };
        }),
      );
      expect(charts.map((c) => c.id)).toEqual(['cost-over-time', 'hit-rate', 'requests-and-429s', 'ttft', 'session-hit-rates', 'node-load']);
      for (const c of charts) expect(c.width * c.height, c.id).toBeGreaterThan(100 * 100);
      const totals = await page.$$eval('table.totals tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
      expect(totals.length).toBe(2);
      expect(await page.textContent('body')).toContain('A fixture scenario.');
      expect(await page.textContent('body')).toContain('PASS');
    });
    expect(problems).toEqual([]);
  });
});
