// Writes doctor's files from its findings JSON: doctor.json, doctor.html, and the chart as
// cost-lost.svg and cost-lost.png.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DoctorReport } from '../../core/ledger/doctor-report.ts';
import { renderPng } from '../render/png.ts';
import { renderSvg } from '../render/svg.ts';
import { costLostChart } from './cost-lost-chart.ts';
import { renderDoctorPage } from './page.ts';

export interface DoctorFiles {
  htmlPath: string;
  jsonPath: string;
  svgPath: string;
  pngPath: string;
}

export const writeDoctorReport = async (report: DoctorReport, outDir: string): Promise<DoctorFiles> => {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const chart = costLostChart(report);
  const svg = await renderSvg(chart.spec);
  const files: DoctorFiles = {
    htmlPath: join(dir, 'doctor.html'),
    jsonPath: join(dir, 'doctor.json'),
    svgPath: join(dir, `${chart.id}.svg`),
    pngPath: join(dir, `${chart.id}.png`),
  };
  writeFileSync(files.svgPath, svg);
  writeFileSync(files.pngPath, renderPng(svg).data);
  writeFileSync(files.htmlPath, renderDoctorPage(report, svg));
  writeFileSync(files.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  return files;
};
