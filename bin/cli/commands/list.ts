import { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { builtInScenarios, loadScenario } from '../load-scenario.ts';

export const listCommand = (io: CliIo): Command =>
  new Command('list')
    .description('list the built-in scenarios, their variants and what each shows')
    .option('--json', 'print JSON instead of text', false)
    .action(async (options: { json: boolean }) => {
      const scenarios = await Promise.all(builtInScenarios().map((name) => loadScenario(name, io.cwd)));
      if (options.json) {
        io.out(`${JSON.stringify(scenarios.map((s) => ({ name: s.name, description: s.description, variants: s.variants })), null, 2)}\n`);
        return;
      }
      for (const s of scenarios) {
        io.out(`${s.name}\n  ${s.description}\n`);
        for (const [variant, line] of Object.entries(s.variants)) io.out(`    --variant ${variant.padEnd(20)} ${line}\n`);
        io.out('\n');
      }
    });
