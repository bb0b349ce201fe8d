// `--fail-over <usd|percent>`: the CI gate. A finding costing more than the threshold (in dollars
// over the log, or as a share of the log's modelled prompt spend) fails the run.

import type { DoctorReport, Finding } from '../../core/ledger/doctor-report.ts';

export type FailOver = { usd: number } | { share: number };

/** `25`, `$25`, `25usd` → dollars; `2%` → a share. Undefined when the text is neither. */
export const parseFailOver = (text: string): FailOver | undefined => {
  const trimmed = text.trim().toLowerCase();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(trimmed);
  if (percent) return { share: Number(percent[1]) / 100 };
  const usd = /^\$?(\d+(?:\.\d+)?)\s*(?:usd)?$/.exec(trimmed);
  if (usd) return { usd: Number(usd[1]) };
  return undefined;
};

export const findingsOver = (report: DoctorReport, threshold: FailOver): Finding[] =>
  report.findings.filter((f) => ('usd' in threshold ? f.costUsd > threshold.usd : f.costShare > threshold.share));

export const describeFailOver = (threshold: FailOver): string => ('usd' in threshold ? `$${threshold.usd}` : `${+(threshold.share * 100).toFixed(6)} % of prompt spend`);
