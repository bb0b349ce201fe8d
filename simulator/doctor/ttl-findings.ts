// TTL economics findings from the per-prefix tallies: where another strategy would have been
// cheaper at the gaps observed, by at least 1 % of what the prefix cost. Prefixes of one tenant,
// model and block with the same verdict (5m → 1h ...) make one finding. An Anthropic prefix sent
// without any breakpoint is a breakpoint-placement finding ("absent on a long stable prefix").

import type { ProviderConfig } from '../../core/model/index.ts';
import type { FindingBook, FindingSeed } from './finding-book.ts';
import { KIND_TITLES } from '../../core/ledger/doctor-report.ts';
import { FIXES } from './fixes.ts';
import { bestStrategy, type PrefixEconomics, type Strategy } from './ttl-economics.ts';

// One formatter: toLocaleString builds one per call (~10 µs), and doctor formats per stable prefix.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const int = (n: number): string => INT.format(Math.round(n));
const usd = (n: number): string => `$${n.toFixed(n >= 100 ? 2 : 4)}`;

interface Group {
  prefixes: Array<{ p: PrefixEconomics; savingUsd: number }>;
  best: Strategy;
  absent: boolean;
}

const sumInto = (into: Record<string, number>, from: Partial<Record<string, number>>): void => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + (v ?? 0);
};

const seedOf = (group: Group): FindingSeed => {
  const first = group.prefixes[0].p;
  const kind = group.absent ? 'breakpoint-placement' : 'ttl-economics';
  const gaps: Record<string, number> = {};
  const costsUsd: Record<string, number> = {};
  let requests = 0;
  for (const { p } of group.prefixes) {
    sumInto(gaps, p.gaps);
    sumInto(costsUsd, p.costsUsd);
    requests += p.requests;
  }
  const tokens = group.prefixes.map(({ p }) => p.tokens);
  const size = Math.min(...tokens) === Math.max(...tokens) ? `${int(tokens[0])} tokens` : `${int(Math.min(...tokens))}–${int(Math.max(...tokens))} tokens`;
  const what = group.prefixes.length === 1 ? `A stable prefix (${size}, ending at ${first.path})` : `${group.prefixes.length} stable prefixes (${size}, each ending at ${first.path})`;
  return {
    kind,
    title: KIND_TITLES[kind],
    ...(group.absent ? FIXES.absent(first.path, group.best) : FIXES.ttl(first.path, group.best)),
    detail: `${what}${group.absent ? ' sent without cache_control' : ''} came back ${int(requests)} times; gaps: ${Object.entries(gaps).map(([range, n]) => `${int(n)} ${range}`).join(', ')}. At those gaps: ${Object.entries(costsUsd).map(([s, v]) => `${s} ${usd(v)}`).join(', ')} (now: ${first.current}).`,
    ttl: { current: first.current, best: group.best, costsUsd, gaps, prefixTokens: Math.max(...tokens) },
  };
};

export const ttlFindings = (prefixes: PrefixEconomics[], book: FindingBook, config: ProviderConfig): void => {
  const groups = new Map<string, Group>();
  for (const p of prefixes) {
    const { best, savingUsd } = bestStrategy(p);
    if (best === p.current || savingUsd <= 0 || savingUsd < 0.01 * p.currentUsd) continue;
    const absent = config.caching.mode === 'breakpoints' && p.current === 'none';
    const key = `${absent ? 'breakpoint-placement|absent' : 'ttl-economics'}|${p.tenant}|${p.model}|${p.path}|${p.current}→${best}`;
    const group = groups.get(key) ?? { prefixes: [], best, absent };
    group.prefixes.push({ p, savingUsd });
    groups.set(key, group);
  }
  for (const [key, group] of groups) {
    const seed = seedOf(group);
    for (const { p, savingUsd } of group.prefixes) {
      const lostTokens = Math.max(0, (p.hits[group.best] ?? 0) - p.currentHits) * p.tokens;
      book.add(key, () => seed, { tenant: p.tenant, model: p.model, lostTokens, costUsd: savingUsd, atMs: p.firstMs, requests: p.requests, spreadToMs: p.lastMs });
    }
  }
};
