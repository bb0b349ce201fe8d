// Which cause a lost read belongs to, and what it cost. A request is compared with the most alike
// recent request of its tenant and model (divergence.ts); the model run says what it read. Tokens
// that both requests share and that the cache did not read are a loss, priced at what the request
// paid for them (its cache-write rate when it wrote, the input rate otherwise) minus the read rate.

import type { ModelSpec, ProviderConfig, Usage } from '../../core/model/index.ts';
import type { Affinity } from '../../core/model/types.ts';
import type { Comparison } from './divergence.ts';
import { excerptsOf } from './divergence.ts';
import { redactExcerpt } from './excerpt.ts';
import type { FindingBook, FindingSeed } from './finding-book.ts';
import type { Divergence, FindingKind } from '../../core/ledger/doctor-report.ts';
import { KIND_TITLES } from '../../core/ledger/doctor-report.ts';
import { FIXES } from './fixes.ts';
import type { RequestView } from './request-view.ts';

export interface Seen {
  view: RequestView;
  /** Model version after alias resolution. */
  model: string;
  atMs: number;
}

/** Below this many shared tokens after a difference, moving the difference would not be worth a finding. */
const MIN_RECOVERABLE_TOKENS = 256;
// One formatter: toLocaleString builds one per call (~10 µs), and doctor formats per stable prefix.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const int = (n: number): string => INT.format(Math.round(n));

/** USD per MTok the request paid for tokens it did not read: its write rate when it wrote, else input. */
const missRate = (usage: Usage, spec: ModelSpec, view: RequestView, breakpoints: boolean): number => {
  const p = spec.prices;
  if (usage.cacheWriteTokens > 0) {
    const w1h = usage.cacheWrite1hTokens;
    return (p.cacheWrite5m * (usage.cacheWriteTokens - w1h) + p.cacheWrite1h * w1h) / usage.cacheWriteTokens;
  }
  // Nothing written (the wire renders tool JSON canonically): what the request would have written.
  if (breakpoints && view.breakpoints.length > 0) return view.request.segments[view.breakpoints[0]].breakpoint === '1h' ? p.cacheWrite1h : p.cacheWrite5m;
  return p.input;
};

const cumulative = (view: RequestView, end: number, scale: number): number => {
  let tokens = 0;
  for (let i = 0; i < end; i++) tokens += view.request.segments[i].tokens;
  return Math.round(tokens * scale);
};

export interface LossRules {
  compared: (before: Seen, now: Seen, comparison: Comparison, usage: Usage, spec: ModelSpec, affinity: Affinity) => void;
  modelChange: (now: Seen, fromModel: string, anchorTokens: number, usage: Usage, spec: ModelSpec) => void;
}

export const createLossRules = (config: ProviderConfig, book: Pick<FindingBook, 'add'>, redact: boolean): LossRules => {
  const breakpointsMode = config.caching.mode === 'breakpoints';
  const lookback = config.caching.lookbackBlocks;

  const divergenceOf = (comparison: Comparison): Divergence | undefined => {
    const at = comparison.at;
    if (at === undefined) return undefined;
    const { before, after } = excerptsOf(at);
    return {
      path: at.path,
      charOffset: at.charOffset,
      tokenOffset: comparison.sharedTokens,
      before: redact ? redactExcerpt(before) : before,
      after: redact ? redactExcerpt(after) : after,
    };
  };

  const charge = (key: string, seed: () => FindingSeed, now: Seen, lostTokens: number, usage: Usage, spec: ModelSpec): void => {
    if (lostTokens <= 0) return;
    const costUsd = (lostTokens * (missRate(usage, spec, now.view, breakpointsMode) - spec.prices.cacheRead)) / 1e6;
    book.add(key, seed, { tenant: now.view.request.tenant, model: now.model, lostTokens, costUsd, atMs: now.atMs });
  };

  const base = (kind: FindingKind) => ({ kind, title: KIND_TITLES[kind] });

  const compared: LossRules['compared'] = (before, now, comparison, usage, spec, affinity) => {
    const scale = spec.tokenInflation;
    const shared = Math.round(comparison.sharedTokens * scale);
    const recoverable = Math.round(comparison.recoverableTokens * scale);
    const total = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    const read = usage.cacheReadTokens;
    const min = spec.minCacheableTokens;
    const { tenant } = now.view.request;
    const bps = now.view.breakpoints;
    // Without any breakpoint an Anthropic prompt is not cached at all: judged by TTL economics.
    if (breakpointsMode && bps.length === 0) return;
    const at = comparison.at;
    // OpenAI caches in 128-token steps above the minimum (provider-facts §2.1): only that much of a
    // shared prefix is readable.
    const inc = config.caching.incrementTokens;
    const cacheable = (tokens: number): number => (breakpointsMode ? tokens : tokens < min ? 0 : min + Math.floor((tokens - min) / inc) * inc);

    // 1 and 2. Content (or only its serialisation) that differs inside a prefix both requests share.
    if (at !== undefined && recoverable >= MIN_RECOVERABLE_TOKENS && shared + recoverable >= min) {
      const canonicalised = at.signature.endsWith('|json');
      const readAsSent = canonicalised ? Math.min(read, shared) : read;
      const lost = cacheable(Math.min(shared + recoverable, total)) - Math.max(readAsSent, cacheable(shared));
      const serialisation = at.fieldsMoved !== undefined;
      const kind: FindingKind = serialisation ? 'unstable-serialisation' : 'volatile-prefix';
      const key = serialisation ? `${kind}|${tenant}|${now.model}|${at.path}` : `${kind}|${tenant}|${now.model}|${at.signature}`;
      charge(key, () => ({
        ...base(kind),
        ...(serialisation ? FIXES.serialisation(at.path) : FIXES.volatile(at.path)),
        detail: serialisation
          ? `${at.path} carries the same content serialised differently (${at.fieldsMoved?.join('; ')}), so every prompt after it is new to the cache${canonicalised ? ' (the model renders tool JSON canonically; Anthropic hashes the bytes sent: provider-facts §1.3)' : ''}.`
          : `Requests diverge ${int(at.charOffset)} characters into ${at.path} (${int(comparison.sharedTokens)} tokens in), and ${int(comparison.recoverableTokens)} tokens after the difference are the same in both: the cache cannot read them.`,
        divergence: divergenceOf(comparison),
        ...(serialisation ? { fieldsMoved: redact ? at.fieldsMoved?.map(redactExcerpt) : at.fieldsMoved } : {}),
      }), now, lost, usage, spec);
    }

    // 3. Anthropic breakpoints: a shared prefix long enough to cache that the cache did not read.
    if (breakpointsMode && shared >= min && read < shared) {
      const index = comparison.index;
      const written = before.view.breakpoints.filter((w) => w < index && cumulative(before.view, w + 1, scale) >= min);
      const last = written.length > 0 ? written[written.length - 1] : undefined;
      const reachable = last !== undefined && bps.some((b) => b >= last && b - last < lookback);
      const stablePath = now.view.blocks[index - 1].path;
      const place = `${tenant}|${now.model}`;
      if (last !== undefined && !reachable && bps.some((b) => b >= last + lookback)) {
        const farthest = Math.min(...bps.filter((b) => b >= last + lookback));
        charge(`breakpoint-placement|lookback|${place}`, () => ({
          ...base('breakpoint-placement'),
          ...FIXES.lookback(lookback),
          detail: `The breakpoint on ${now.view.blocks[farthest].path} is ${farthest - last} blocks past the entry the previous request wrote at ${before.view.blocks[last].path}; reads look back ${lookback} positions (provider-facts §1.4), so the ${int(cumulative(before.view, last + 1, scale))}-token prefix is written again.`,
        }), now, cumulative(before.view, last + 1, scale) - read, usage, spec);
      } else if (!bps.some((b) => b < index)) {
        const path = at?.path ?? now.view.blocks[Math.min(index, now.view.blocks.length - 1)].path;
        charge(`breakpoint-placement|after-volatile|${place}|${stablePath}`, () => ({
          ...base('breakpoint-placement'),
          ...FIXES.afterVolatile(stablePath, path),
          detail: `Requests share ${int(comparison.sharedTokens)} tokens up to ${stablePath}, but every breakpoint sits at or after ${path}, which changes between requests: each request writes an entry no later request reads.`,
          divergence: divergenceOf(comparison),
        }), now, shared - read, usage, spec);
      } else if (bps.filter((b) => b < index).every((b) => cumulative(now.view, b + 1, scale) < min)) {
        charge(`breakpoint-placement|below-minimum|${place}`, () => ({
          ...base('breakpoint-placement'),
          ...FIXES.belowMinimum(min),
          detail: `Every breakpoint inside the shared ${int(shared)}-token prefix ends before ${int(min)} tokens, ${now.model}'s minimum (provider-facts §1.5): those breakpoints are ignored without an error.`,
        }), now, shared - read, usage, spec);
      }
    }

    // 3. A shared prefix under the model's minimum: never cached. Worth a finding when padding it to
    // the minimum would pay: shared × (input − read) saved against (minimum − shared) × read added.
    if (at !== undefined && shared >= MIN_RECOVERABLE_TOKENS && shared < min && shared + recoverable < min) {
      if (breakpointsMode && bps.some((b) => cumulative(now.view, b + 1, scale) >= min)) return;
      const p = spec.prices;
      const netUsd = (shared * (p.input - p.cacheRead) - (min - shared) * p.cacheRead) / 1e6;
      if (netUsd > 0) {
        book.add(`breakpoint-placement|short-prefix|${tenant}|${now.model}`, () => ({
          ...base('breakpoint-placement'),
          ...(breakpointsMode ? FIXES.belowMinimum(min) : FIXES.shortPrefix(min)),
          detail: `Requests share a ${int(shared)}-token prefix, under the ${int(min)}-token minimum ${now.model} caches (provider-facts ${breakpointsMode ? '§1.5' : '§2.1'}): none of it is ever read from the cache.`,
        }), { tenant, model: now.model, lostTokens: shared, costUsd: netUsd, atMs: now.atMs });
      }
    }

    // 3. OpenAI routing: above ~15 requests a minute per prefix and key, requests overflow to nodes
    // that have never seen the prefix, "a one-time cache miss" each (provider-facts §2.1).
    if (affinity === 'overflow' && read < cacheable(shared)) {
      charge(`breakpoint-placement|key-overflow|${tenant}|${now.model}`, () => ({
        ...base('breakpoint-placement'),
        ...FIXES.keyOverflow(),
        detail: `Requests sharing a prefix${now.view.request.promptCacheKey === undefined ? '' : ' and prompt_cache_key'} arrive faster than about ${config.routing.overflowPerMinute} a minute, so some are routed to machines without it and miss (provider-facts §2.1).`,
      }), now, cacheable(shared) - read, usage, spec);
    }
  };

  const modelChange: LossRules['modelChange'] = (now, fromModel, anchorTokens, usage, spec) => {
    const from = config.models[fromModel];
    const tokenizerChanged = from !== undefined && from.tokenizer !== spec.tokenizer;
    const { tenant } = now.view.request;
    charge(`model-change|${tenant}|${fromModel}→${now.model}`, () => ({
      ...base('model-change'),
      ...FIXES.modelChange(tokenizerChanged),
      detail: `Prefixes warm on ${fromModel} were sent to ${now.model}; the model is part of the cache key (provider-facts §1.2, §4), so each started cold${tokenizerChanged ? `, and ${now.model}'s tokenizer counts about ${spec.tokenInflation / from.tokenInflation}× the tokens of ${fromModel}'s` : ''}.`,
      change: {
        from: fromModel,
        to: now.model,
        atIso: new Date(now.atMs).toISOString(),
        ...(tokenizerChanged ? { tokenizer: { from: from.tokenizer, to: spec.tokenizer, inflation: spec.tokenInflation / from.tokenInflation } } : {}),
      },
    }), now, anchorTokens - usage.cacheReadTokens, usage, spec);
  };

  return { compared, modelChange };
};
