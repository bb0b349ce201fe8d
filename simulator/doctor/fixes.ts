// The one-line fix for each cause and the built-in scenario that rehearses it (`cachecast run <name>`).

export const FIXES = {
  volatile: (path: string) => ({
    fix: `Move the changing text out of ${path}: keep the shared prompt byte-identical and put per-request values at its end (after the last cache breakpoint).`,
    scenario: 'personalization-prefix',
  }),
  serialisation: (path: string) => ({
    fix: `Serialise ${path} canonically (sorted keys, fixed whitespace) so the same content sends the same bytes.`,
  }),
  afterVolatile: (stablePath: string, path: string) => ({
    fix: `Add cache_control to ${stablePath}, the last block the requests share, not only after the changing ${path}.`,
    scenario: 'personalization-prefix',
  }),
  belowMinimum: (minTokens: number) => ({
    fix: `Put the breakpoint where the prefix reaches ${minTokens.toLocaleString('en-US')} tokens, the model's minimum; below it nothing is cached and no error says so.`,
  }),
  lookback: (positions: number) => ({
    fix: `Add a breakpoint at most ${positions} blocks after the previous request's (e.g. on the last block of each turn): reads look back only ${positions} positions.`,
  }),
  shortPrefix: (minTokens: number) => ({
    fix: `Put stable content (tools, instructions) first so the shared prefix reaches ${minTokens.toLocaleString('en-US')} tokens; shorter prompts are never cached.`,
  }),
  keyOverflow: () => ({
    fix: 'Spread requests over more prompt_cache_key values (e.g. hash(user) mod N) to stay near 15 requests per minute per prefix and key.',
    scenario: 'affinity-overflow',
  }),
  absent: (path: string, best: string) => ({
    fix: `Add cache_control${best === '1h' ? ' with ttl "1h"' : ''} to ${path}, the end of the stable prefix.`,
    scenario: 'ttl-economics',
  }),
  ttl: (path: string, best: string) => ({
    fix:
      best === 'none'
        ? `Drop cache_control on ${path}: at these gaps a cache write is never repaid by reads.`
        : best === '24h'
          ? 'Send prompt_cache_retention: "24h" for this prefix: its requests come back after in-memory retention ends.'
          : `Use ttl "${best}" on the breakpoint at ${path}.`,
    scenario: 'ttl-economics',
  }),
  modelChange: (tokenizerChanged: boolean) => ({
    fix: 'Pre-warm the new model with each stable prefix before cutting over (max_tokens: 0 on Anthropic), and cut over at once rather than in a slow ramp.',
    scenario: tokenizerChanged ? 'tokenizer-upgrade' : 'migration-cold-start',
  }),
} as const;
