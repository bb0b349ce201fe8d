// Issue 13, item 10: a scenario declares the mock provider's API keys in its provider section.
import { describe, expect, it } from 'vitest';
import stampede from '../../../scenarios/stampede.ts';
import { specFor } from '../../../scenarios/kit/validate.ts';
import type { Scenario } from '../../../scenarios/kit/format.ts';

const withProvider = (extra: object): Scenario => ({
  ...stampede,
  setup: (variant: string) => {
    const spec = stampede.setup(variant);
    return { ...spec, provider: { ...spec.provider, ...extra } };
  },
});

describe('provider.apiKeys and provider.refuseUnknownKeys', () => {
  it('are accepted and kept', () => {
    const spec = specFor(withProvider({ apiKeys: { 'sk-real': 'acme' }, refuseUnknownKeys: true }), 'baseline');
    expect([spec.provider.apiKeys, spec.provider.refuseUnknownKeys]).toEqual([{ 'sk-real': 'acme' }, true]);
  });

  it('a wrong type is named by its path', () => {
    expect(() => specFor(withProvider({ refuseUnknownKeys: 'yes' }), 'baseline')).toThrow(/setup\("baseline"\)\.provider\.refuseUnknownKeys/);
  });
});
