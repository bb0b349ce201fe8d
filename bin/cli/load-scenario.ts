// Finds a scenario by name (scenarios/<name>.ts) or path and imports it. Scenario modules are
// TypeScript; the CLI runs under tsx, so importing one compiles it on the fly.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Scenario } from '../../scenarios/kit/format.ts';
import { ScenarioFormatError, specFor, validateDefinition } from '../../scenarios/kit/validate.ts';
import { CachecastError } from '../../core/errors.ts';

export const SCENARIOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');

/** Names of the built-in scenarios: every `scenarios/*.ts` module. */
export const builtInScenarios = (): string[] =>
  readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();

export const scenarioPath = (ref: string, cwd: string): string => {
  const asPath = isAbsolute(ref) ? ref : resolve(cwd, ref);
  if ((ref.includes('/') || /\.(m?ts|m?js)$/.test(ref)) && existsSync(asPath)) return asPath;
  const builtIn = join(SCENARIOS_DIR, `${ref}.ts`);
  if (existsSync(builtIn)) return builtIn;
  throw new CachecastError(
    'CC_ERR_SCENARIO_NOT_FOUND',
    `no scenario "${ref}": not a file, and not one of the built-in scenarios (${builtInScenarios().join(', ')})`,
  );
};

const isScenario = (value: unknown): value is Scenario =>
  typeof value === 'object' && value !== null && typeof (value as Scenario).setup === 'function' && typeof (value as Scenario).name === 'string';

export const loadScenario = async (ref: string, cwd: string): Promise<Scenario> => {
  const path = scenarioPath(ref, cwd);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    if (error instanceof ScenarioFormatError) throw new CachecastError('CC_ERR_SCENARIO_INVALID', `${path}:\n${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    // tsx compiles a .ts file outside an ES-module package as CommonJS, which cannot import the kit.
    const hint = /require\(\) ES Module|Cannot use import statement outside a module/.test(message)
      ? ' (scenario files are ES modules: give their folder a package.json with "type": "module", or name the file .mts)'
      : '';
    throw new CachecastError('CC_ERR_SCENARIO_INVALID', `${path} could not be loaded: ${message}${hint}`);
  }
  if (!isScenario(module.default)) {
    throw new CachecastError('CC_ERR_SCENARIO_INVALID', `${path} must \`export default defineScenario({...})\``);
  }
  try {
    validateDefinition(module.default);
  } catch (error) {
    if (error instanceof ScenarioFormatError) throw new CachecastError('CC_ERR_SCENARIO_INVALID', `${path}:\n${error.message}`);
    throw error;
  }
  return module.default;
};

/** Checks the variant exists and its spec is valid, turning format errors into CLI errors. */
export const checkVariant = (scenario: Scenario, variant: string): void => {
  if (!(variant in scenario.variants)) {
    throw new CachecastError(
      'CC_ERR_VARIANT_UNKNOWN',
      `scenario "${scenario.name}" has no variant "${variant}"; its variants are: ${Object.keys(scenario.variants).join(', ')}`,
    );
  }
  try {
    specFor(scenario, variant);
  } catch (error) {
    if (error instanceof ScenarioFormatError) throw new CachecastError('CC_ERR_SCENARIO_INVALID', `scenario "${scenario.name}":\n${error.message}`);
    throw error;
  }
};
