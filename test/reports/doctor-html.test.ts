import { describe, expect, it } from 'vitest';
import { writeDoctorReport } from '../../reports/doctor/write-doctor.ts';
import { diagnose } from '../../simulator/doctor/diagnose.ts';
import { tempDir } from '../cli/helpers.ts';
import { inOfflinePage } from './offline-page.ts';
import { recordsOf } from '../simulator/doctor/helpers.ts';
import { sampleLog } from '../simulator/doctor/log-kit.ts';

describe('doctor.html', () => {
  it('opens offline in headless Chromium without console errors, with the chart, one card per finding and the excerpts', async () => {
    const report = await diagnose(recordsOf(sampleLog()), { profile: 'anthropic', log: 'support-bot.ndjson' });
    const files = await writeDoctorReport(report, tempDir());
    const problems = await inOfflinePage(files.htmlPath, async (page) => {
      const chart = await page.$eval('figure#cost-lost svg', (svg) => {
        const box = svg.getBoundingClientRect();
        return box.width * box.height;
      });
      expect(chart).toBeGreaterThan(300 * 100);
      expect(await page.$$eval('div.finding', (cards) => cards.length)).toBe(report.findings.length);
      const excerpts = await page.$$eval('table.excerpts td', (cells) => cells.map((c) => c.textContent ?? ''));
      expect(excerpts.some((e) => e.includes('Current time: 2026-03-02T12:00:00.000Z'))).toBe(true);
    });
    expect(problems).toEqual([]);
  });
});
