// `--set path=value`: one provider-config field by its dotted path (`nodes.capacityTokens`,
// `caching.ttlMs.5m`, `routing.overflowPerMinute`), checked against the profile's own shape
// (a wrong path names the valid neighbours) and then by the config schema (a wrong value names
// the field). `traffic.scale` is not a config field: it multiplies the arrival rate.

import { CachecastError } from '../../core/errors.ts';
import { mergeConfig, type ProviderConfig } from '../../core/model/config.ts';
import { providerConfigSchema } from '../../core/model/config-schema.ts';
import { formatZodError } from '../../core/wire/validation.ts';
import { parseDuration } from '../../scenarios/kit/durations.ts';

export const TRAFFIC_SCALE = 'traffic.scale';

export interface Setting {
  path: string;
  value: unknown;
}

/** Value text → a value: JSON (numbers, booleans, null, arrays), a duration for a `...Ms` field ('5m'), else the text. */
export const parseValue = (path: string, text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    const last = path.split('.').at(-1) ?? '';
    if (/Ms$|^\d+[smhd]$/.test(last)) {
      try {
        return parseDuration(text);
      } catch {
        // not a duration either: the text itself, which the schema will judge
      }
    }
    return text;
  }
};

/** `path=v1,v2,...` → the path and its values (one value for `replay --set`). */
export const parseSetFlag = (flag: string): { path: string; values: unknown[] } => {
  const eq = flag.indexOf('=');
  if (eq <= 0 || eq === flag.length - 1) throw new CachecastError('CC_ERR_USAGE', `--set ${flag}: expected path=value (e.g. nodes.capacityTokens=5120000 or caching.ttlMs.5m=1h)`);
  const path = flag.slice(0, eq).trim();
  const values = flag
    .slice(eq + 1)
    .split(',')
    .map((v) => parseValue(path, v.trim()));
  return { path, values };
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Throws CC_ERR_USAGE naming the path and the keys valid where it went wrong. */
export const checkPath = (base: ProviderConfig, path: string): void => {
  if (path === TRAFFIC_SCALE) return;
  const parts = path.split('.');
  let node: unknown = base;
  for (const [i, part] of parts.entries()) {
    const here = parts.slice(0, i).join('.');
    if (!isObject(node) || !Object.hasOwn(node, part)) {
      const keys = isObject(node) ? Object.keys(node).map((k) => (here === '' ? k : `${here}.${k}`)) : [];
      const hint = keys.length > 0 ? `; valid here: ${keys.join(', ')}` : `; ${here} is a value, not an object`;
      const extra = i === 0 ? `, or ${TRAFFIC_SCALE}` : '';
      throw new CachecastError('CC_ERR_USAGE', `--set ${path}: no such config path${hint}${extra}`);
    }
    node = node[part];
  }
};

const nest = (path: string, value: unknown): Record<string, unknown> =>
  path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;

/** The config with the settings applied (traffic.scale left out), validated; errors name the path. */
export const applySettings = (base: ProviderConfig, settings: readonly Setting[]): ProviderConfig => {
  let config = base;
  for (const { path, value } of settings) {
    checkPath(base, path);
    if (path === TRAFFIC_SCALE) continue;
    config = mergeConfig<ProviderConfig>(config, nest(path, value) as never);
  }
  const parsed = providerConfigSchema.safeParse(config);
  if (!parsed.success) throw new CachecastError('CC_ERR_USAGE', `--set: ${formatZodError(parsed.error).message}`);
  return parsed.data;
};

/** The traffic multiplier among the settings (1 when absent). */
export const trafficScaleOf = (settings: readonly Setting[]): number => {
  const setting = [...settings].reverse().find((s) => s.path === TRAFFIC_SCALE);
  if (setting === undefined) return 1;
  if (typeof setting.value !== 'number' || !(setting.value > 0)) throw new CachecastError('CC_ERR_USAGE', `--set ${TRAFFIC_SCALE}: expected a positive number, got ${JSON.stringify(setting.value)}`);
  return setting.value;
};
