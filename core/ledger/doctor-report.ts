// The findings JSON of `cachecast doctor`: what the analysis (simulator/doctor) computes and what
// every output renders (terminal, --json, reports/doctor's doctor.html). It sits beside the ledger
// because it plays the same part: the one record the drivers write and the reports read.
// Text from the log appears only as excerpts of at most 80 characters (or their hashes).

export const FINDING_KINDS = ['volatile-prefix', 'unstable-serialisation', 'breakpoint-placement', 'ttl-economics', 'model-change'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const KIND_TITLES: Record<FindingKind, string> = {
  'volatile-prefix': 'Volatile content inside the cached prefix',
  'unstable-serialisation': 'Unstable serialisation',
  'breakpoint-placement': 'Breakpoint placement',
  'ttl-economics': 'TTL economics',
  'model-change': 'Model or tokenizer change',
};

/** The longest excerpt doctor ever writes, characters. */
export const MAX_EXCERPT_CHARS = 80;

/** Two requests side by side where their prompts part. */
export interface Divergence {
  /** Block where the prompts first differ, e.g. `system[0]`, `messages[2].content[1]`, `tools[3]`. */
  path: string;
  /** Character offset of the first difference inside that block. */
  charOffset: number;
  /** Prompt tokens before the block (the shared prefix, by segment). */
  tokenOffset: number;
  /** ≤ 80 characters around the difference in the earlier request, and in the later one. */
  before: string;
  after: string;
}

export interface Finding {
  kind: FindingKind;
  /** Stable id within one report: kind + a short signature. */
  id: string;
  title: string;
  /** What was seen, in one or two sentences with figures. */
  detail: string;
  /** The one-line fix. */
  fix: string;
  /** The built-in scenario that rehearses this cause, when one exists. */
  scenario?: string;
  tenants: string[];
  models: string[];
  /** Requests the cause touched. */
  requests: number;
  /** Prompt tokens that a fixed prompt would have read from the cache instead. */
  lostTokens: number;
  /** Dollars the cause cost over the log's span (priced with the profile). */
  costUsd: number;
  /** Share of the log's modelled prompt spend. */
  costShare: number;
  divergence?: Divergence;
  /** Serialisation: object keys whose order moved, or `whitespace`, e.g. `tools[0].input_schema.properties: city, unit → unit, city`. */
  fieldsMoved?: string[];
  /** TTL economics: the strategies' costs at the observed gaps. */
  ttl?: { current: string; best: string; costsUsd: Record<string, number>; gaps: Record<string, number>; prefixTokens: number };
  /** Model change: from → to and when. */
  change?: { from: string; to: string; atIso: string; tokenizer?: { from: string; to: string; inflation: number } };
}

export interface CostPoint {
  /** Bucket start, ISO UTC. */
  t: string;
  kind: FindingKind;
  costUsd: number;
}

export interface DoctorReport {
  log: string;
  profile: string;
  /** First and last request time, ISO UTC. */
  fromIso: string;
  toIso: string;
  requests: number;
  /** Lines refused (not JSON, or a body the wire refuses), with the first few reasons. */
  skipped: number;
  skippedExamples: string[];
  /** What the model says the log's prompts cost (uncached input, cache writes and reads). */
  promptSpendUsd: number;
  hitRate: number;
  redacted: boolean;
  /** Ranked, dearest first. */
  findings: Finding[];
  /** Cost lost per cause per bucket, for the chart. */
  bucketMs: number;
  series: CostPoint[];
}
