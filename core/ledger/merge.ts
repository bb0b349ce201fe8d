// Several ledgers as one timeline: the rows of N mock-provider replicas (sharded by API key behind a
// load balancer, sharing one provider clock origin, `serve --epoch`) merged by time. A k-way merge
// of streams: memory holds one row per input, whatever the ledgers' size. Each input keeps its own
// order (a mock provider writes a row when its response closes, so a ledger is in time order only
// as far as its responses are); among the inputs' next rows, the earliest goes first, ties in the
// order the inputs were given.

import { ledgerRows, type ReadLedgerOptions } from './read.ts';
import type { LedgerRow } from './row.ts';

export async function* mergeLedgers(paths: readonly string[], options: ReadLedgerOptions = {}): AsyncGenerator<LedgerRow> {
  const sources = paths.map((path) => ledgerRows(path, options));
  const heads: Array<LedgerRow | undefined> = [];
  for (const source of sources) heads.push((await source.next()).value ?? undefined);
  for (;;) {
    let next = -1;
    for (let i = 0; i < heads.length; i++) {
      const row = heads[i];
      if (row !== undefined && (next === -1 || row.atMs < (heads[next] as LedgerRow).atMs)) next = i;
    }
    if (next === -1) return;
    yield heads[next] as LedgerRow;
    heads[next] = (await sources[next].next()).value ?? undefined;
  }
}
