import { describe, expect, it } from 'vitest';
import { builtRequestProblem } from '../../../scenarios/kit/validate.ts';

const fine = { tenant: 'acme', model: 'claude-sonnet-4-6', segments: [{ hash: 1, tokens: 10 }], outputTokens: 5 };

describe('a request a traffic builds', () => {
  it('passes when its optional strings are strings or absent', () => {
    expect([builtRequestProblem(fine), builtRequestProblem({ ...fine, session: 's-1', class: 'batch', promptCacheKey: 'k' })]).toEqual([undefined, undefined]);
  });

  it('names the first optional field that is not a string, in the order session, class, promptCacheKey', () => {
    expect([
      builtRequestProblem({ ...fine, session: 7 }),
      builtRequestProblem({ ...fine, class: null, promptCacheKey: 3 }),
      builtRequestProblem({ ...fine, promptCacheKey: ['k'] }),
    ]).toEqual(['session: expected a string, got 7', 'class: expected a string, got null', 'promptCacheKey: expected a string, got ["k"]']);
  });
});
