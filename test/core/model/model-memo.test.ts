import { describe, expect, it } from 'vitest';
import { createModelMemo, forgetModels, resolveModelMemo } from '../../../core/model/model-memo.ts';
import { resolveModel } from '../../../core/model/provider.ts';
import { anthropicConfig, SONNET } from './helpers.ts';

describe('resolved model names', () => {
  it('resolves a version, an alias and an unknown name as resolveModel does, with the output cap', () => {
    const config = anthropicConfig();
    const memo = createModelMemo();
    const names = [SONNET, 'claude-sonnet-latest', 'claude-x', 'constructor'];
    expect(names.map((name) => resolveModelMemo(memo, config, name)?.model)).toEqual(names.map((name) => resolveModel(config, name)));
    expect(resolveModelMemo(memo, config, SONNET)?.maxOutputTokens).toBe(64_000);
  });

  it('starts afresh for another config object, and when told to forget', () => {
    const memo = createModelMemo();
    const first = structuredClone(anthropicConfig());
    expect(resolveModelMemo(memo, first, 'claude-sonnet-latest')?.model).toBe(SONNET);
    // A config edited in place (an alias-repoint event) is forgotten explicitly ...
    first.aliases['claude-sonnet-latest'] = 'claude-sonnet-4-6';
    forgetModels(memo);
    expect(resolveModelMemo(memo, first, 'claude-sonnet-latest')?.model).toBe('claude-sonnet-4-6');
    // ... a new config object (PATCH /admin/config) is noticed by identity.
    const second = anthropicConfig();
    expect(resolveModelMemo(memo, second, 'claude-sonnet-latest')?.model).toBe(SONNET);
  });
});
