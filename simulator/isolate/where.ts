// Where a stopped job was, in words, from the board and the names the worker last posted:
// "in setup("baseline") of scenario "slow"", "in build() of scenario "slow" (baseline), traffic
// "chat", iteration 41".

import type { BoardReading, PhaseNames } from './phase-board.ts';

export const describeWhere = (reading: BoardReading, names: PhaseNames | undefined): string => {
  if (names === undefined) return 'while cachecast was starting';
  const scenario = names.variant === undefined ? `scenario "${names.scenario}"` : `scenario "${names.scenario}" (${names.variant})`;
  switch (reading.phase) {
    case 'starting':
      return `while cachecast was starting, before loading scenario ${names.scenario}`;
    case 'import':
      return `while importing scenario ${names.scenario} (its module's top-level code)`;
    case 'setup':
      return `in setup("${names.variant}") of scenario "${names.scenario}"`;
    case 'build':
      return `in build() of ${scenario}, traffic "${names.traffics?.[reading.traffic] ?? reading.traffic}", iteration ${reading.iteration}`;
    case 'simulate':
      return `while simulating ${scenario}, ${(reading.permille / 10).toFixed(1)} % of its time done`;
    case 'finish':
      return `while writing the results of ${scenario}`;
    case 'report':
      return `while writing the report of ${scenario}`;
  }
};
