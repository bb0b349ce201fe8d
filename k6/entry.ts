// The bundle's entry module, generated per build: it imports the scenario by path, passes the
// build settings and k6's `__ENV`, and exports what k6 looks for (options, setup, handleSummary
// and one function per traffic entry, named in options.scenarios[*].exec).

import type { K6ScriptSettings } from './bundle/script.ts';
import { execName } from './bundle/k6-scenarios.ts';

export const entrySource = (scenarioPath: string, runtimePath: string, trafficNames: readonly string[], settings: K6ScriptSettings): string => {
  const lines = [
    `import scenario from ${JSON.stringify(scenarioPath)};`,
    `import { createK6Script } from ${JSON.stringify(runtimePath)};`,
    `const script = createK6Script(scenario, ${JSON.stringify(settings)}, __ENV);`,
    'export const options = script.options;',
    'export function setup() { return script.setup(); }',
    'export function handleSummary(data) { return script.handleSummary(data); }',
    ...trafficNames.map((name, index) => `export function ${execName(index, name)}(data) { script.run(${JSON.stringify(name)}, data); }`),
  ];
  return `${lines.join('\n')}\n`;
};
