// TTL economics findings from the per-prefix tallies: where another strategy would have been
// cheaper at the gaps observed, by at least 1 % of what the prefix cost. An Anthropic prefix sent
// without any breakpoint is a breakpoint-placement finding ("absent on a long stable prefix").

import type { ProviderConfig } from '../../core/model/index.ts';
import type { FindingBook } from './finding-book.ts';
import { KIND_TITLES } from '../../core/ledger/doctor-report.ts';
import { FIXES } from './fixes.ts';
import { bestStrategy, type PrefixEconomics } from './ttl-economics.ts';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const usd = (n: number): string => `$${n.toFixed(n >= 100 ? 2 : 4)}`;

export const ttlFindings = (prefixes: PrefixEconomics[], book: FindingBook, config: ProviderConfig): void => {
  for (const p of prefixes) {
    const { best, savingUsd } = bestStrategy(p);
    if (best === p.current || savingUsd < 0.01 * p.currentUsd || savingUsd <= 0) continue;
    const absent = config.caching.mode === 'breakpoints' && p.current === 'none';
    const kind = absent ? 'breakpoint-placement' : 'ttl-economics';
    const gaps = Object.entries(p.gaps).map(([range, n]) => `${int(n)} ${range}`).join(', ');
    const costs = Object.entries(p.costsUsd).map(([s, v]) => `${s} ${usd(v ?? 0)}`).join(', ');
    const lostTokens = Math.max(0, (p.hits[best] ?? 0) - p.currentHits) * p.tokens;
    book.add(
      `${kind}|${absent ? 'absent|' : ''}${p.tenant}|${p.model}|${p.path}|${p.firstMs}`,
      () => ({
        kind,
        title: KIND_TITLES[kind],
        ...(absent ? FIXES.absent(p.path, best) : FIXES.ttl(p.path, best)),
        detail: `${absent ? 'A stable prefix sent without cache_control' : 'A stable prefix'} (${int(p.tokens)} tokens, ending at ${p.path}) came back ${int(p.requests)} times; gaps: ${gaps}. At those gaps: ${costs} (now: ${p.current}).`,
        ttl: { current: p.current, best, costsUsd: p.costsUsd as Record<string, number>, gaps: p.gaps, prefixTokens: p.tokens },
      }),
      { tenant: p.tenant, model: p.model, lostTokens, costUsd: savingUsd, atMs: p.firstMs, requests: p.requests, spreadToMs: p.lastMs },
    );
  }
};
